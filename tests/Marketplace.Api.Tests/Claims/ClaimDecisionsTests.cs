using IoNet.Marketplace.Claims;

namespace IoNet.MarketplaceApi.Tests.Claims;

/// <summary>What a claim request does, given the wallet's pending claims (with the chain's word on each) and unpaid earnings.</summary>
public sealed class ClaimDecisionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid R1 = new("0000000a-0000-0000-0000-000000000001"), R2 = new("0000000a-0000-0000-0000-000000000002");
    private static readonly Guid C1 = new("0000000c-0000-0000-0000-000000000001"), C2 = new("0000000c-0000-0000-0000-000000000002");

    private static AccruedEarning Earning(Guid rental, ulong amount, Guid? claim = null, int minute = 0) =>
        new(rental, "wallet", "IOSD", amount, T0.AddMinutes(minute), claim, null, null);

    private static SupplierClaim Claim(Guid id, int minute = 0) =>
        new(id, "wallet", "ref" + id.ToString("N"), [1, 2, 3], "hash", 1_000, "Claim", ClaimState.Pending, T0.AddMinutes(minute), null, null, null, null);

    [Fact]
    public void unreserved_earnings_go_into_a_new_claim_oldest_first()
    {
        var outcome = ClaimDecisions.Decide([], [Earning(R2, 7, minute: 5), Earning(R1, 5)]).ShouldBeOfType<ClaimOutcome.Build>();
        outcome.Earnings.Select(e => e.Rental).ShouldBe([R1, R2]);
        outcome.Release.ShouldBeEmpty();
    }

    [Fact]
    public void while_a_live_claim_reserves_everything_the_same_claim_is_answered_again()
    {
        var claim = Claim(C1);
        var outcome = ClaimDecisions.Decide([(claim, ClaimFate.Live)], [Earning(R1, 5, C1), Earning(R2, 7, C1)]).ShouldBeOfType<ClaimOutcome.Repeat>();
        outcome.Claim.ShouldBe(claim);
        outcome.Release.ShouldBeEmpty();
    }

    [Fact]
    public void while_a_live_claim_reserves_some_earnings_a_new_claim_takes_only_the_remainder()
    {
        var outcome = ClaimDecisions.Decide([(Claim(C1), ClaimFate.Live)], [Earning(R1, 5, C1), Earning(R2, 7)]).ShouldBeOfType<ClaimOutcome.Build>();
        outcome.Earnings.ShouldHaveSingleItem().Rental.ShouldBe(R2);
    }

    [Fact]
    public void a_claim_that_landed_keeps_its_earnings_reserved_until_the_ledger_confirms_it()
    {
        var claim = Claim(C1);
        ClaimDecisions.Decide([(claim, ClaimFate.Landed)], [Earning(R1, 5, C1)]).ShouldBeOfType<ClaimOutcome.Confirming>().Claim.ShouldBe(claim);
        ClaimDecisions.Decide([(claim, ClaimFate.Landed)], [Earning(R1, 5, C1), Earning(R2, 7)])
            .ShouldBeOfType<ClaimOutcome.Build>().Earnings.ShouldHaveSingleItem().Rental.ShouldBe(R2);
    }

    [Fact]
    public void a_claim_that_can_never_land_is_released_and_its_earnings_are_claimed_anew()
    {
        var outcome = ClaimDecisions.Decide([(Claim(C1), ClaimFate.CannotLand), (Claim(C2, 1), ClaimFate.Live)], [Earning(R1, 5, C1), Earning(R2, 7, C2)])
            .ShouldBeOfType<ClaimOutcome.Build>();
        outcome.Release.ShouldBe([C1]);
        outcome.Earnings.ShouldHaveSingleItem().Rental.ShouldBe(R1);
    }

    [Fact]
    public void a_live_claim_is_never_released_even_when_its_earnings_are_all_free_again_elsewhere()
    {
        var outcome = ClaimDecisions.Decide([(Claim(C1), ClaimFate.Live), (Claim(C2, 1), ClaimFate.Live)], [Earning(R1, 5, C1), Earning(R2, 7, C2)])
            .ShouldBeOfType<ClaimOutcome.Repeat>();
        outcome.Claim.Id.ShouldBe(C2); // the newest
        outcome.Release.ShouldBeEmpty();
    }

    [Fact]
    public void without_unpaid_earnings_there_is_nothing_to_claim()
    {
        ClaimDecisions.Decide([], []).ShouldBeOfType<ClaimOutcome.Nothing>();
        ClaimDecisions.Decide([(Claim(C1), ClaimFate.CannotLand)], []).ShouldBeOfType<ClaimOutcome.Nothing>().Release.ShouldBe([C1]);
    }
}
