using IoNet.TestSupport;
using IoNet.Programs.AssociatedToken;
using IoNet.Programs.Decoding;
using IoNet.Programs.SystemProgram;
using IoNet.Programs.Token;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;

namespace IoNet.Programs.Tests.Localnet;

/// <summary>The classic token instruction set, built in C#, executed by the real token program, decoded back from the node.</summary>
public sealed class TokenInstructionsOnLocalnetTests(LocalnetChain chain) : IClassFixture<LocalnetChain>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ulong Rent(ulong space) => (space + 128) * 3480 * 2;

    private async Task<TransactionResponse> Run(Keypair payer, TransactionInstruction[] instructions, params Keypair[] signers)
    {
        var response = await chain.ExecuteAsync(payer, instructions, signers, Ct);
        response.Meta!.Err.ShouldBeNull(string.Join('\n', response.Meta.LogMessages ?? []));
        LocalnetChain.TopLevel(response).ShouldBe(instructions.Select(InstructionDecoder.Decode));
        return response;
    }

    private async Task<ulong> Balance(PublicKey account) => await chain.TokenBalanceAsync(account, Ct);

    [Fact]
    public async Task every_classic_instruction_runs_on_the_token_program_and_decodes_back()
    {
        var owner = await chain.NewWalletAsync(20_000_000_000, Ct);
        var delegateKey = Keypair.Generate().PublicKey;
        var mint = Keypair.Generate();
        var a = Keypair.Generate();
        var b = Keypair.Generate();
        var c = Keypair.Generate();
        var o = owner.PublicKey;
        var m = mint.PublicKey;

        await Run(owner,
        [
            new CreateAccount(o, m, Rent(82), 82, WellKnownPrograms.Token).Build(),
            new InitializeMint(m, 2, o, o).Build(),
            new CreateAccount(o, a.PublicKey, Rent(165), 165, WellKnownPrograms.Token).Build(),
            new InitializeAccount(a.PublicKey, m, o).Build(),
            new CreateAccount(o, b.PublicKey, Rent(165), 165, WellKnownPrograms.Token).Build(),
            new InitializeAccount2(b.PublicKey, m, o).Build(),
            new CreateAccount(o, c.PublicKey, Rent(165), 165, WellKnownPrograms.Token).Build(),
            new InitializeImmutableOwner(c.PublicKey).Build(),
            new InitializeAccount3(c.PublicKey, m, o).Build(),
        ], owner, mint, a, b, c);

        await Run(owner,
        [
            new MintTo(m, a.PublicKey, o, 1_000).Build(),
            new MintToChecked(m, a.PublicKey, o, 500, 2).Build(),
            new Approve(a.PublicKey, delegateKey, o, 100).Build(),
            new ApproveChecked(a.PublicKey, m, delegateKey, o, 50, 2).Build(),
            new Revoke(a.PublicKey, o).Build(),
            new Transfer(a.PublicKey, b.PublicKey, o, 10).Build(),
            new TransferChecked(a.PublicKey, m, c.PublicKey, o, 20, 2).Build(),
            new FreezeAccount(b.PublicKey, m, o).Build(),
            new ThawAccount(b.PublicKey, m, o).Build(),
            new Burn(a.PublicKey, m, o, 5).Build(),
            new BurnChecked(a.PublicKey, m, o, 15, 2).Build(),
            new SetAuthority(a.PublicKey, o, (byte)AuthorityType.CloseAccount, delegateKey).Build(),
        ], owner);
        (await Balance(a.PublicKey)).ShouldBe(1_450UL);
        (await Balance(b.PublicKey)).ShouldBe(10UL);

        // Empty c, then close it: its rent goes back to the owner.
        await Run(owner,
        [
            new TransferChecked(c.PublicKey, m, a.PublicKey, o, 20, 2).Build(),
            new CloseAccount(c.PublicKey, o, o).Build(),
        ], owner);
        (await chain.Rpc.GetAccountInfoAsync(c.PublicKey.ToString(), cancellationToken: Ct)).Value.ShouldBeNull();

        // Read-only instructions answer through return data.
        var size = await Run(owner,
        [
            new GetAccountDataSize(m, []).Build(),
            new AmountToUiAmount(m, 12345).Build(),
            new UiAmountToAmount(m, "1.5").Build(),
        ], owner);
        size.Meta!.ReturnData.ShouldNotBeNull();
        (await chain.Rpc.GetTokenSupplyAsync(m.ToString(), cancellationToken: Ct)).Value.BaseUnits.ShouldBe(1_480UL);
    }

    [Fact]
    public async Task a_multisig_authority_transfers_with_its_members_signatures()
    {
        var owner = await chain.NewWalletAsync(20_000_000_000, Ct);
        var mint = Keypair.Generate();
        var multisig = Keypair.Generate();
        var account = Keypair.Generate();
        var destination = Keypair.Generate();
        var members = new[] { Keypair.Generate(), Keypair.Generate(), Keypair.Generate() };
        var o = owner.PublicKey;

        await Run(owner,
        [
            new CreateAccount(o, multisig.PublicKey, Rent(355), 355, WellKnownPrograms.Token).Build(),
            new InitializeMultisig2(multisig.PublicKey, 2, new AccountList(members.Select(k => k.PublicKey))).Build(),
            new CreateAccount(o, mint.PublicKey, Rent(82), 82, WellKnownPrograms.Token).Build(),
            new InitializeMint2(mint.PublicKey, 0, o, null).Build(),
            new CreateAccount(o, account.PublicKey, Rent(165), 165, WellKnownPrograms.Token).Build(),
            new InitializeAccount3(account.PublicKey, mint.PublicKey, multisig.PublicKey).Build(),
            new CreateAccount(o, destination.PublicKey, Rent(165), 165, WellKnownPrograms.Token).Build(),
            new InitializeAccount3(destination.PublicKey, mint.PublicKey, o).Build(),
            new MintToChecked(mint.PublicKey, account.PublicKey, o, 9, 0).Build(),
        ], owner, multisig, mint, account, destination);

        var transfer = new TransferChecked(account.PublicKey, mint.PublicKey, destination.PublicKey, multisig.PublicKey, 4, 0)
        {
            Signers = new AccountList([members[0].PublicKey, members[2].PublicKey]),
        };
        await Run(owner, [transfer.Build()], owner, members[0], members[2]);
        (await Balance(destination.PublicKey)).ShouldBe(4UL);
    }

    [Fact]
    public async Task wrapped_sol_is_synced_into_a_native_token_account()
    {
        var owner = await chain.NewWalletAsync(5_000_000_000, Ct);
        var native = PublicKey.Parse("So11111111111111111111111111111111111111112");
        var ata = AssociatedTokenAccount.Find(owner.PublicKey, native);
        await Run(owner,
        [
            AssociatedTokenInstruction.CreateIdempotent(owner.PublicKey, owner.PublicKey, native).Build(),
            new SystemTransfer(owner.PublicKey, ata, 1_000_000_000).Build(),
            new SyncNative(ata).Build(),
        ], owner);
        (await Balance(ata)).ShouldBe(1_000_000_000UL);
    }

    [Fact]
    public async Task a_batch_runs_several_token_instructions_in_one()
    {
        var owner = await chain.NewWalletAsync(5_000_000_000, Ct);
        var mint = Keypair.Generate();
        var a = Keypair.Generate();
        var b = Keypair.Generate();
        var o = owner.PublicKey;
        await Run(owner,
        [
            new CreateAccount(o, mint.PublicKey, Rent(82), 82, WellKnownPrograms.Token).Build(),
            new CreateAccount(o, a.PublicKey, Rent(165), 165, WellKnownPrograms.Token).Build(),
            new CreateAccount(o, b.PublicKey, Rent(165), 165, WellKnownPrograms.Token).Build(),
            new Batch(
            [
                new InitializeMint2(mint.PublicKey, 3, o, null),
                new InitializeAccount3(a.PublicKey, mint.PublicKey, o),
                new InitializeAccount3(b.PublicKey, mint.PublicKey, o),
                new MintToChecked(mint.PublicKey, a.PublicKey, o, 70, 3),
                new TransferChecked(a.PublicKey, mint.PublicKey, b.PublicKey, o, 30, 3),
            ]).Build(),
        ], owner, mint, a, b);
        (await Balance(a.PublicKey)).ShouldBe(40UL);
        (await Balance(b.PublicKey)).ShouldBe(30UL);
    }

    [Fact]
    public async Task a_token_2022_transfer_with_fee_withholds_exactly_the_fee()
    {
        var owner = await chain.NewWalletAsync(5_000_000_000, Ct);
        var recipient = Keypair.Generate().PublicKey;
        var mint = Keypair.Generate();
        var o = owner.PublicKey;
        var feeConfig = new InitializeTransferFeeConfig(mint.PublicKey, o, o, 50, 1_000_000) { ProgramId = WellKnownPrograms.Token2022 };
        var source = AssociatedTokenAccount.Find(o, mint.PublicKey, WellKnownPrograms.Token2022);
        var destination = AssociatedTokenAccount.Find(recipient, mint.PublicKey, WellKnownPrograms.Token2022);
        // A mint with the transfer-fee extension: 165 bytes base + account type + TLV header + 108 bytes of config.
        await Run(owner,
        [
            new CreateAccount(o, mint.PublicKey, Rent(278), 278, WellKnownPrograms.Token2022).Build(),
            feeConfig.Build(),
            new InitializeMint2(mint.PublicKey, 6, o, null) { ProgramId = WellKnownPrograms.Token2022 }.Build(),
            AssociatedTokenInstruction.CreateIdempotent(o, o, mint.PublicKey, WellKnownPrograms.Token2022).Build(),
            AssociatedTokenInstruction.CreateIdempotent(o, recipient, mint.PublicKey, WellKnownPrograms.Token2022).Build(),
            new MintToChecked(mint.PublicKey, source, o, 1_000_000, 6) { ProgramId = WellKnownPrograms.Token2022 }.Build(),
        ], owner, mint);

        var fee = feeConfig.FeeFor(10_001);
        fee.ShouldBe(51UL); // 0.5% of 10,001 rounded up
        await Run(owner, [new TransferCheckedWithFee(source, mint.PublicKey, destination, o, 10_001, 6, fee) { ProgramId = WellKnownPrograms.Token2022 }.Build()], owner);
        (await Balance(source)).ShouldBe(989_999UL);
        (await Balance(destination)).ShouldBe(10_001UL - fee);

        // A fee that does not match what the mint charges is refused by the program.
        var bytes = await chain.SignAsync(owner, [new TransferCheckedWithFee(source, mint.PublicKey, destination, o, 10_001, 6, fee - 1) { ProgramId = WellKnownPrograms.Token2022 }.Build()], [owner], Ct);
        await Should.ThrowAsync<RpcPreflightFailureException>(() => chain.Rpc.SendTransactionAsync(bytes, cancellationToken: Ct));
    }
}
