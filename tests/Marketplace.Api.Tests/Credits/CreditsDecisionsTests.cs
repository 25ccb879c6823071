using IoNet.Marketplace.Credits;

namespace IoNet.MarketplaceApi.Tests.Credits;

/// <summary>The desk's pure rules: what a quote promises and what is minted for a burn (docs/marketplace.md, "Credits").</summary>
public sealed class CreditsDecisionsTests
{
    private const string Buyer = "Buyer1111111111111111111111111111111111111";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid QuoteId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    private static CreditQuote Quote(ulong io = 250_000_001, ulong rate = 800_000, string buyer = Buyer, string? usedBy = null) =>
        CreditsDecisions.Quote(QuoteId, buyer, io, rate, 8, Now, TimeSpan.FromMinutes(2)).Quote! with { UsedBy = usedBy };

    private static BurnSeen Burn(ulong io = 250_000_001, ulong memoRate = 800_000, Guid? quote = null, DateTimeOffset? at = null, string buyer = Buyer) =>
        new("Burn", 7, (at ?? Now.AddMinutes(1)).ToUnixTimeSeconds(), buyer, io, memoRate, quote, 1, io, 0);

    [Fact]
    public void a_quote_rounds_the_iosd_down_to_the_micro_usd()
    {
        var quote = Quote();

        quote.IosdAmount.ShouldBe(2_000_000UL); // 2.50000001 IO × 0.80 USD = 2.000000008 USD
        quote.ExpiresAt.ShouldBe(Now.AddMinutes(2));
    }

    [Theory]
    [InlineData(0UL, "at least 1 base unit")]
    [InlineData(124UL, "worth less than 1 micro-USD")] // 124 × 800000 / 10^8 = 0.992
    [InlineData(ulong.MaxValue, "more IOSD than a u64")]
    public void a_quote_is_refused_for_nothing_for_dust_and_for_more_than_a_u64(ulong io, string why)
    {
        var (quote, error) = CreditsDecisions.Quote(QuoteId, Buyer, io, io == ulong.MaxValue ? 10_000_000_000_000UL : 800_000UL, 8, Now, TimeSpan.FromMinutes(2));

        quote.ShouldBeNull();
        error.ShouldNotBeNull().ShouldContain(why);
    }

    [Fact]
    public void a_burn_naming_a_valid_quote_is_minted_at_the_quoted_rate()
    {
        var decision = CreditsDecisions.Decide(Burn(quote: QuoteId), Quote(), currentRate: 1_000_000, 8);

        decision.ShouldBe(new CreditsDecision(RateSource.Quote, 800_000, 2_000_000, null, null));
    }

    [Fact]
    public void a_burn_landing_exactly_at_the_expiry_still_gets_the_quote_and_one_second_later_the_current_rate()
    {
        CreditsDecisions.Decide(Burn(quote: QuoteId, at: Now.AddMinutes(2)), Quote(), 1_000_000, 8).Source.ShouldBe(RateSource.Quote);

        var late = CreditsDecisions.Decide(Burn(quote: QuoteId, at: Now.AddMinutes(2).AddSeconds(1)), Quote(), 1_000_000, 8);

        late.Source.ShouldBe(RateSource.Current);
        late.Iosd.ShouldBe(2_500_000UL); // 2.50000001 IO × 1.00 USD, rounded down
        late.QuoteNotHonoured.ShouldNotBeNull().ShouldContain("expired");
    }

    [Theory]
    [InlineData("another wallet")]
    [InlineData("amount")]
    [InlineData("rate")]
    [InlineData("used")]
    [InlineData("unknown")]
    public void a_quote_that_does_not_match_the_burn_is_not_honoured_and_the_current_rate_applies(string mismatch)
    {
        var (burn, quote) = mismatch switch
        {
            "another wallet" => (Burn(quote: QuoteId), Quote(buyer: "Other11111111111111111111111111111111111111")),
            "amount" => (Burn(io: 250_000_000, quote: QuoteId), Quote()),
            "rate" => (Burn(memoRate: 900_000, quote: QuoteId), Quote()),
            "used" => (Burn(quote: QuoteId), Quote(usedBy: "AnotherBurn")),
            _ => (Burn(quote: QuoteId), (CreditQuote?)null),
        };

        var decision = CreditsDecisions.Decide(burn, quote, 700_000, 8);

        decision.Source.ShouldBe(RateSource.Current);
        decision.Rate.ShouldBe(700_000UL);
        decision.Iosd.ShouldBe(checked(burn.IoBurned * 700_000UL / 100_000_000UL));
        decision.QuoteNotHonoured.ShouldNotBeNull();
        decision.Mints.ShouldBeTrue();
    }

    [Fact]
    public void a_burn_without_a_quote_is_minted_at_the_current_rate_whatever_its_memo_says()
    {
        var decision = CreditsDecisions.Decide(Burn(io: 33_333_333, memoRate: 5_000_000), null, 1_250_000, 8);

        decision.ShouldBe(new CreditsDecision(RateSource.Current, 1_250_000, 416_666, null, null));
    }

    [Fact]
    public void the_quote_used_by_this_same_burn_is_still_honoured_on_a_replay()
    {
        CreditsDecisions.Decide(Burn(quote: QuoteId), Quote(usedBy: "Burn"), 1, 8).Source.ShouldBe(RateSource.Quote);
    }

    [Fact]
    public void a_transaction_that_burns_more_than_one_purchase_or_other_mints_is_not_minted_automatically()
    {
        var twoPurchases = Burn() with { PurchasesInTransaction = 2, IoBurnedInTransaction = 500_000_002 };
        var otherBurn = Burn() with { OtherBurnsInTransaction = 1 };

        CreditsDecisions.Decide(twoPurchases, null, 800_000, 8).Refused.ShouldNotBeNull().ShouldContain("not minted automatically");
        CreditsDecisions.Decide(otherBurn, null, 800_000, 8).Mints.ShouldBeFalse();
    }

    [Fact]
    public void dust_worth_less_than_a_micro_usd_is_not_minted()
    {
        var decision = CreditsDecisions.Decide(Burn(io: 124), null, 800_000, 8);

        decision.Mints.ShouldBeFalse();
        decision.Iosd.ShouldBe(0UL);
    }

    [Fact]
    public void the_largest_burn_at_the_largest_rate_is_computed_without_overflow_or_refused()
    {
        // u64::MAX IO base units at 1 USD: 184,467,440,737 IOSD… fits; at 10^9 USD per IO it does not.
        CreditsDecisions.Decide(Burn(io: ulong.MaxValue), null, 1_000_000, 8).Iosd.ShouldBe(ulong.MaxValue / 100);
        CreditsDecisions.Decide(Burn(io: ulong.MaxValue), null, 1_000_000_000_000_000, 8).Refused.ShouldNotBeNull().ShouldContain("exceed a u64");
    }
}
