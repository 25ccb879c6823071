using System.Text.Json;
using IoNet.Programs.Decoding;
using IoNet.Programs.Token;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.TestSupport;

namespace IoNet.Programs.Tests.Token;

public sealed class TokenInstructionTests
{
    private static PublicKey Key(int n)
    {
        var bytes = new byte[32];
        bytes[0] = (byte)n;
        bytes[31] = 7;
        return new PublicKey(bytes);
    }

    private static readonly PublicKey A = Key(1), B = Key(2), C = Key(3), D = Key(4), M1 = Key(5), M2 = Key(6), R1 = Key(7);

    public static TheoryData<TokenInstruction> Every() =>
    [
        new InitializeMint(A, 8, B, C), new InitializeMint(A, 0, B, null), new InitializeMint2(A, 6, B, null),
        new InitializeAccount(A, B, C), new InitializeAccount2(A, B, C), new InitializeAccount3(A, B, C),
        new InitializeMultisig(A, 2, new AccountList([M1, M2])), new InitializeMultisig2(A, 1, new AccountList([M1])),
        new Transfer(A, B, C, ulong.MaxValue), new Transfer(A, B, C, 5) { Signers = new AccountList([M1, M2]) },
        new Approve(A, B, C, 9), new Revoke(A, B), new SetAuthority(A, B, (byte)AuthorityType.CloseAccount, C),
        new SetAuthority(A, B, (byte)AuthorityType.MintTokens, null), new MintTo(A, B, C, 1), new Burn(A, B, C, 2),
        new CloseAccount(A, B, C), new FreezeAccount(A, B, C), new ThawAccount(A, B, C),
        new TransferChecked(A, B, C, D, 437, 6) { References = new AccountList([R1]) },
        new TransferChecked(A, B, C, D, 0, 9) { Signers = new AccountList([M1]), References = new AccountList([R1]) },
        new ApproveChecked(A, B, C, D, 3, 2), new MintToChecked(A, B, C, 5, 8), new BurnChecked(A, B, C, 123, 10),
        new SyncNative(A), new GetAccountDataSize(A, []), new GetAccountDataSize(A, [7, 14]) { ProgramId = WellKnownPrograms.Token2022 },
        new InitializeImmutableOwner(A), new AmountToUiAmount(A, 1_000_000), new UiAmountToAmount(A, "12.5"),
        new TransferCheckedWithFee(A, B, C, D, 1_000, 6, 10) { ProgramId = WellKnownPrograms.Token2022 },
        new InitializeTransferFeeConfig(A, B, null, 50, 1_000_000) { ProgramId = WellKnownPrograms.Token2022 },
        new Batch([new Transfer(A, B, C, 1), new MintToChecked(D, A, C, 2, 6)]),
    ];

    [Theory]
    [MemberData(nameof(Every))]
    public void every_instruction_decodes_back_to_itself(TokenInstruction instruction)
    {
        foreach (var program in new[] { WellKnownPrograms.Token, WellKnownPrograms.Token2022 })
        {
            var typed = instruction with { ProgramId = program };
            var built = typed.Build();
            built.ProgramId.ShouldBe(program);
            TokenInstructionDecoder.Decode(built).ShouldBe(typed);
        }
    }

    [Fact]
    public void the_independent_vectors_instruction_data_is_byte_exact()
    {
        var vectors = JsonDocument.Parse(File.ReadAllText(RepoPaths.FixtureFile("vectors", "solana.json"))).RootElement.GetProperty("token_instruction_data");
        var count = 0;
        foreach (var v in vectors.EnumerateArray())
        {
            var amount = v.GetProperty("amount").GetUInt64();
            var decimals = v.GetProperty("decimals").ValueKind == JsonValueKind.Null ? (byte)0 : v.GetProperty("decimals").GetByte();
            TokenInstruction instruction = v.GetProperty("instruction").GetString() switch
            {
                "Transfer" => new Transfer(A, B, C, amount),
                "MintTo" => new MintTo(A, B, C, amount),
                "Burn" => new Burn(A, B, C, amount),
                "TransferChecked" => new TransferChecked(A, B, C, D, amount, decimals),
                "MintToChecked" => new MintToChecked(A, B, C, amount, decimals),
                "BurnChecked" => new BurnChecked(A, B, C, amount, decimals),
                var other => throw new InvalidOperationException(other),
            };
            Convert.ToHexStringLower(instruction.Build().Data.Span).ShouldBe(v.GetProperty("hex").GetString());
            count++;
        }
        count.ShouldBe(6);
    }

    [Fact]
    public void a_single_authority_signs_and_a_multisig_authority_does_not()
    {
        var single = new TransferChecked(A, B, C, D, 1, 6) { References = new AccountList([R1]) }.Build();
        single.Accounts.Select(a => (a.IsSigner, a.IsWritable)).ShouldBe([(false, true), (false, false), (false, true), (true, false), (false, false)]);

        var multi = new Transfer(A, B, C, 1) { Signers = new AccountList([M1, M2]) }.Build();
        multi.Accounts.Select(a => a.IsSigner).ShouldBe([false, false, false, true, true]);
    }

    [Theory]
    [InlineData(new byte[] { 3, 1, 2 }, "data too short")]
    [InlineData(new byte[] { 99 }, "Unknown token instruction tag 99")]
    [InlineData(new byte[] { 0, 8 }, "data too short")]
    [InlineData(new byte[] { 20, 6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2 }, "optional key tag 2")]
    [InlineData(new byte[] { 255, 1 }, "Batch")]
    [InlineData(new byte[] { 26, 7 }, "Transfer-fee extension instruction 7")]
    public void malformed_data_is_a_decode_error_naming_the_problem(byte[] data, string problem)
    {
        var accounts = new[] { A, B, C, D }.Select(k => IoNet.Solana.Transactions.AccountMeta.Writable(k)).ToArray();
        Should.Throw<ProgramDecodeException>(() => TokenInstructionDecoder.Decode(WellKnownPrograms.Token, accounts, data)).Message.ShouldContain(problem);
    }

    [Fact]
    public void too_few_accounts_is_a_decode_error()
    {
        var data = new TransferChecked(A, B, C, D, 1, 6).Build().Data.ToArray();
        Should.Throw<ProgramDecodeException>(() => TokenInstructionDecoder.Decode(WellKnownPrograms.Token, [IoNet.Solana.Transactions.AccountMeta.Writable(A)], data))
            .Message.ShouldContain("needs at least");
    }
}
