using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Programs.Memo;
using IoNet.Programs.Token;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;

namespace IoNet.Programs.Tests.Flows;

public sealed class IoNetFlowTests
{
    private static readonly Guid Rental = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly Guid Device = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    private static PublicKey K(byte b) => new(Enumerable.Repeat(b, 32).ToArray());
    private static readonly MintInfo Io = new(K(10), 8, WellKnownPrograms.Token);
    private static readonly MintInfo Iosd = new(K(11), 6, WellKnownPrograms.Token2022);

    public static TheoryData<string> Memos() =>
    [
        new BuyMemo(800_000).Text, new BuyMemo(800_000, Rental).Text, new CreditsMemo("5Jofwx5J", 250_000_000, 800_000).Text, new FundMemo(Rental).Text, new SettleMemo(Rental).Text,
        new RefundMemo(Rental).Text, new RewardMemo(42, Device).Text, new StakeMemo(Device).Text, new UnstakeMemo(Device).Text,
        new SlashMemo(Device, K(5).ToString()).Text, new FeeMemo("2026-11").Text,
    ];

    [Theory]
    [MemberData(nameof(Memos))]
    public void every_memo_parses_back_to_itself(string text) => IoNetMemo.TryParse(text).ShouldNotBeNull().Text.ShouldBe(text);

    [Theory]
    [InlineData("hello")]
    [InlineData("ionet:v2:fund:0f8fad5bd9cb469fa16570867728950e")]
    [InlineData("ionet:v1:fund:0F8FAD5BD9CB469FA16570867728950E")]
    [InlineData("ionet:v1:fund:0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("ionet:v1:reward:-1:7c9e6679742540de944be07fc1f90ae7")]
    [InlineData("ionet:v1:reward:42")]
    [InlineData("ionet:v1:buy:1.5")]
    [InlineData("ionet:v1:buy:800000:0F8FAD5BD9CB469FA16570867728950E")]
    [InlineData("ionet:v1:buy:800000:")]
    [InlineData("ionet:v1:buy:800000:0f8fad5bd9cb469fa16570867728950e:1")]
    [InlineData(null)]
    public void anything_else_is_not_an_ionet_memo(string? text) => IoNetMemo.TryParse(text).ShouldBeNull();

    [Fact]
    public void the_buy_memo_names_the_quote_when_there_is_one_and_old_memos_still_parse()
    {
        new BuyMemo(800_000, Rental).Text.ShouldBe("ionet:v1:buy:800000:0f8fad5bd9cb469fa16570867728950e");
        IoNetMemo.TryParse("ionet:v1:buy:800000:0f8fad5bd9cb469fa16570867728950e").ShouldBe(new BuyMemo(800_000, Rental));
        IoNetMemo.TryParse("ionet:v1:buy:800000").ShouldBe(new BuyMemo(800_000));
    }

    [Fact]
    public void the_reward_memo_has_the_documented_form() =>
        new RewardMemo(42, Device).Text.ShouldBe("ionet:v1:reward:42:7c9e6679742540de944be07fc1f90ae7");

    [Theory]
    [InlineData(100_000_000UL, 800_000UL, 800_000UL)]      // 1 IO at 0.80 USD = 0.80 IOSD
    [InlineData(1UL, 800_000UL, 0UL)]                      // 1e-8 IO is worth 0.008 micro-USD: rounds down to 0
    [InlineData(80_000_000_000_000_000UL, 1_000_000_000UL, 800_000_000_000_000_000UL)] // 800M IO at 1000 USD, no overflow
    public void credits_are_computed_in_integers_and_round_down(ulong io, ulong rate, ulong credits) =>
        IoNetFlows.CreditsFor(io, rate).ShouldBe(credits);

    [Fact]
    public void settling_pays_every_supplier_and_refunds_with_the_rentals_reference()
    {
        var instructions = IoNetFlows.SettleRental(K(1), Iosd, Rental, [(K(2), 700), (K(3), 200)], K(4), 100);
        var decoded = instructions.Select(InstructionDecoder.Decode).ToList();
        decoded.OfType<TransferChecked>().Select(t => (t.Destination, t.Amount)).ShouldBe(
        [
            (Iosd.AccountOf(K(2)), 700UL), (Iosd.AccountOf(K(3)), 200UL), (Iosd.AccountOf(K(4)), 100UL),
        ]);
        decoded.OfType<TransferChecked>().ShouldAllBe(t => t.References.Single() == IoNetReferences.Rental(Rental) && t.ProgramId == WellKnownPrograms.Token2022);
        decoded.OfType<MemoInstruction>().Select(m => m.Text).ShouldBe(
            [new SettleMemo(Rental).Text, new SettleMemo(Rental).Text, new RefundMemo(Rental).Text]);
        // Each memo comes directly before the transfer it describes.
        for (var i = 0; i < decoded.Count; i++)
        {
            if (decoded[i] is MemoInstruction)
                decoded[i + 1].ShouldBeOfType<TransferChecked>();
        }
    }

    [Fact]
    public void buying_credits_burns_from_the_buyers_account_with_checked_decimals()
    {
        var decoded = IoNetFlows.BuyCredits(K(1), Io, 250_000_000, 800_000).Select(InstructionDecoder.Decode).ToList();
        decoded[0].ShouldBeOfType<MemoInstruction>().Text.ShouldBe("ionet:v1:buy:800000");
        decoded[1].ShouldBe(new BurnChecked(Io.AccountOf(K(1)), Io.Address, K(1), 250_000_000, 8));
        IoNetFlows.BuyCredits(K(1), Io, 250_000_000, 800_000, Rental).Select(InstructionDecoder.Decode).First()
            .ShouldBeOfType<MemoInstruction>().Text.ShouldBe("ionet:v1:buy:800000:0f8fad5bd9cb469fa16570867728950e");
    }

    [Fact]
    public void references_are_stable_and_distinct_per_kind()
    {
        IoNetReferences.Rental(Rental).ShouldBe(IoNetReferences.Rental(Rental));
        IoNetReferences.Rental(Rental).ShouldNotBe(IoNetReferences.Device(Rental));
    }
}
