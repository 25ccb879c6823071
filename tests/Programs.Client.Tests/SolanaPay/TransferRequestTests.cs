using IoNet.Programs.Decoding;
using IoNet.Programs.Memo;
using IoNet.Programs.SolanaPay;
using IoNet.Programs.SystemProgram;
using IoNet.Programs.Token;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;

namespace IoNet.Programs.Tests.SolanaPay;

public sealed class TransferRequestTests
{
    private static readonly PublicKey Recipient = PublicKey.Parse("mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN");
    private static readonly PublicKey Usdc = PublicKey.Parse("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v");

    [Fact]
    public void the_specifications_sol_example_parses_and_round_trips()
    {
        const string url = "solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?amount=1&label=Michael&message=Thanks%20for%20all%20the%20fish&memo=OrderId12345";
        var request = TransferRequest.Parse(url);
        request.ShouldBe(new TransferRequest(Recipient, "1", Label: "Michael", Message: "Thanks for all the fish", Memo: "OrderId12345"));
        request.ToUrl().ShouldBe(url);
    }

    [Fact]
    public void the_specifications_spl_example_parses_and_round_trips()
    {
        const string url = "solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?amount=0.01&spl-token=EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";
        var request = TransferRequest.Parse(url);
        request.SplToken.ShouldBe(Usdc);
        TokenAmount.ToBaseUnits(request.Amount!, 6).ShouldBe(10_000UL);
        request.ToUrl().ShouldBe(url);
    }

    [Fact]
    public void references_keep_their_order_and_unicode_labels_are_percent_encoded()
    {
        var r1 = new PublicKey(Enumerable.Repeat((byte)1, 32).ToArray());
        var r2 = new PublicKey(Enumerable.Repeat((byte)2, 32).ToArray());
        var request = new TransferRequest(Recipient, "12.5", Usdc, [r2, r1], "Café ☕ & co", "a=b?c", "ionet:v1:fund:x");
        var url = request.ToUrl();
        url.ShouldContain($"reference={r2}&reference={r1}");
        url.ShouldContain("label=Caf%C3%A9%20%E2%98%95%20%26%20co");
        TransferRequest.Parse(url).ShouldBe(request);
    }

    [Fact]
    public void a_sol_amount_finer_than_a_lamport_is_refused_when_built_and_when_parsed()
    {
        const string url = "solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?amount=0.0000000001";
        Should.Throw<ProgramDecodeException>(() => TransferRequest.Parse(url)).Message.ShouldContain("more decimal places than the mint's 9");
        Should.Throw<ProgramDecodeException>(() => new TransferRequest(Recipient, "0.0000000001").ToUrl()).Message.ShouldContain("9");
        // Trailing zeros are no precision: 1 lamport written with 10 places is 1 lamport.
        TransferRequest.Parse("solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?amount=0.0000000010").AmountIn(9).ShouldBe(1UL);
    }

    [Fact]
    public void a_token_amount_finer_than_its_mint_is_refused_once_the_mints_decimals_are_known()
    {
        var tooFine = new TransferRequest(Recipient, "0.0000001", Usdc);
        Should.Throw<ProgramDecodeException>(() => tooFine.ToUrl(6)).Message.ShouldContain("more decimal places than the mint's 6");
        Should.Throw<ProgramDecodeException>(() => TransferRequest.Parse(tooFine.ToUrl(), 6));
        Should.Throw<ProgramDecodeException>(() => tooFine.AmountIn(6));
        TransferRequest.Parse(tooFine.ToUrl(), 8).AmountIn(8).ShouldBe(10UL);
    }

    [Fact]
    public void a_request_for_base_units_writes_the_shortest_exact_amount_for_the_mint()
    {
        var request = TransferRequest.For(Recipient, 65_162_500, 6, Usdc);
        request.Amount.ShouldBe("65.1625");
        request.ToUrl(6).ShouldBe("solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?amount=65.1625&spl-token=EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v");
        TransferRequest.For(Recipient, 1, 9).Amount.ShouldBe("0.000000001");
        Should.Throw<ArgumentOutOfRangeException>(() => TransferRequest.For(Recipient, 1, 6));
    }

    [Theory]
    [InlineData("bitcoin:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN", "must start with 'solana:'")]
    [InlineData("solana:https://example.com/pay", "transaction request")]
    [InlineData("solana:notakey", "not a base58 public key")]
    [InlineData("solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?amount=.5", "invalid")]
    [InlineData("solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?amount=1e3", "invalid")]
    [InlineData("solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?amount=-1", "invalid")]
    [InlineData("solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?amount=1.", "invalid")]
    [InlineData("solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?amount=1&amount=2", "more than once")]
    [InlineData("solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?reference=abc", "not 32 bytes")]
    [InlineData("solana:mvines9iiHiQTysrwkJjGf2gb9Ex9jXJX8ns3qwf2kN?spl-token=xyz", "spl-token")]
    public void malformed_urls_are_refused_with_the_reason(string url, string reason) =>
        Should.Throw<ProgramDecodeException>(() => TransferRequest.Parse(url)).Message.ShouldContain(reason);

    [Theory]
    [InlineData(0UL, 6, "0")]
    [InlineData(1UL, 6, "0.000001")]
    [InlineData(1_500_000UL, 6, "1.5")]
    [InlineData(100_000_000UL, 8, "1")]
    [InlineData(18_446_744_073_709_551_615UL, 8, "184467440737.09551615")]
    [InlineData(42UL, 0, "42")]
    public void amounts_format_and_convert_back_exactly(ulong units, byte decimals, string text)
    {
        TokenAmount.Format(units, decimals).ShouldBe(text);
        TokenAmount.ToBaseUnits(text, decimals).ShouldBe(units);
    }

    [Theory]
    [InlineData("0.0000001", 6, "more decimal places")]
    [InlineData("184467440737.09551616", 8, "too large")]
    [InlineData("1,5", 6, "not a non-negative decimal")]
    public void amounts_that_do_not_fit_the_mint_are_refused(string text, byte decimals, string reason) =>
        Should.Throw<ProgramDecodeException>(() => TokenAmount.ToBaseUnits(text, decimals)).Message.ShouldContain(reason);

    [Fact]
    public void trailing_fraction_zeros_are_accepted_when_the_mint_has_fewer_decimals()
    {
        TokenAmount.ToBaseUnits("1.50000000", 6).ShouldBe(1_500_000UL);
        TokenAmount.ToBaseUnits("007", 2).ShouldBe(700UL);
    }

    [Fact]
    public void an_spl_transfer_puts_the_memo_second_to_last_and_references_on_the_transfer()
    {
        var payer = new PublicKey(Enumerable.Repeat((byte)9, 32).ToArray());
        var reference = new PublicKey(Enumerable.Repeat((byte)3, 32).ToArray());
        var instructions = SolanaPayTransfer.Build(payer, new TransferRequest(Recipient, "2.5", Usdc, [reference], Memo: "order-1"), 6);
        instructions.Count.ShouldBe(2);
        MemoInstruction.Decode(instructions[0].ProgramId, instructions[0].Accounts, instructions[0].Data.Span).Text.ShouldBe("order-1");
        var transfer = TokenInstructionDecoder.Decode(instructions[1]).ShouldBeOfType<TransferChecked>();
        transfer.Amount.ShouldBe(2_500_000UL);
        transfer.Destination.ShouldBe(AssociatedTokenAccount.Find(Recipient, Usdc));
        transfer.References.ShouldBe(new AccountList([reference]));
        instructions[1].Accounts[^1].ShouldBe(IoNet.Solana.Transactions.AccountMeta.ReadOnly(reference));
    }

    [Fact]
    public void a_sol_transfer_appends_references_to_the_system_transfer()
    {
        var payer = new PublicKey(Enumerable.Repeat((byte)9, 32).ToArray());
        var reference = new PublicKey(Enumerable.Repeat((byte)3, 32).ToArray());
        var instruction = SolanaPayTransfer.Build(payer, new TransferRequest(Recipient, "0.000000001", References: [reference])).ShouldHaveSingleItem();
        SystemInstruction.Decode(instruction.Accounts, instruction.Data.Span).ShouldBe(new SystemTransfer(payer, Recipient, 1));
        instruction.Accounts.Count.ShouldBe(3);
        instruction.Accounts[2].ShouldBe(IoNet.Solana.Transactions.AccountMeta.ReadOnly(reference));
    }
}
