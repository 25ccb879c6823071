namespace IoNet.MarketplaceApi.Tests.Credits;

/// <summary>
/// kill -9 of the API process at each step of the outbox (Marketplace:Outbox:PauseAfter stops the processor right after a
/// step and says so, so the kill lands exactly there) and at arbitrary moments: every burn is minted exactly once. A
/// localnet at 50 ms blocks, so a stored transaction's blockhash expires (150 slots) within seconds.
/// </summary>
public sealed class OutboxCrashTests(FastCreditsNetwork network) : IClassFixture<FastCreditsNetwork>
{
    private static string Paused(string step, string burn) => $"outbox paused after {step}: credits:{burn} ";

    [Fact]
    public async Task a_kill_after_the_mint_was_stored_and_before_it_was_sent_then_a_restart_after_its_blockhash_expired_mints_once_with_a_new_transaction()
    {
        var api = await network.StartApiAsync("api-paused", 800_000, "--Marketplace:Outbox:PauseAfter=stored");
        using var buyer = await network.BuyerWithIoAsync(10_00000000);
        var burn = await network.BurnAsync(buyer, 150_000_000, 800_000, null);
        var line = await api.WaitForLineAsync(l => l.Contains(Paused("stored", burn), StringComparison.Ordinal));
        var stored = line[(line.LastIndexOf(' ') + 1)..];
        await api.KillAsync();

        (await network.LandedAsync(stored)).ShouldBeFalse();
        var intent = await network.MintIntentAsync(burn);
        intent.Signatures.ShouldBe([stored]);
        await network.WaitForBlockHeightAfterAsync((ulong)intent.LastValidBlockHeight!.Value);
        var restarted = await network.StartApiAsync("api-restarted");

        var purchase = await CreditsNetwork.WaitMintedAsync(restarted, burn);

        var after = await network.MintIntentAsync(burn);
        after.Attempt.ShouldBe(2);
        after.Signatures.Length.ShouldBe(2);
        after.Signatures[0].ShouldBe(stored);
        (await network.LandedAsync(stored)).ShouldBeFalse();
        purchase.GetProperty("mintSignature").GetString().ShouldBe(after.Signatures[1]);
        (await network.PurchasesInLedgerAsync(burn)).ShouldHaveSingleItem().IosdMinted.ShouldBe(1_200_000UL);
        (await network.IosdAsync(buyer.PublicKey)).ShouldBe(1_200_000UL);
        await restarted.KillAsync();
    }

    [Fact]
    public async Task a_kill_between_sending_the_mint_and_its_confirmation_then_a_restart_mints_once_with_the_sent_transaction()
    {
        var api = await network.StartApiAsync("api-paused", 800_000, "--Marketplace:Outbox:PauseAfter=sent");
        using var buyer = await network.BuyerWithIoAsync(10_00000000);
        var burn = await network.BurnAsync(buyer, 150_000_000, 800_000, null);
        var line = await api.WaitForLineAsync(l => l.Contains(Paused("sent", burn), StringComparison.Ordinal));
        var sent = line[(line.LastIndexOf(' ') + 1)..];
        await api.KillAsync();
        (await network.MintIntentAsync(burn)).State.ShouldBe("Signed");

        var restarted = await network.StartApiAsync("api-restarted");
        var purchase = await CreditsNetwork.WaitMintedAsync(restarted, burn);

        purchase.GetProperty("mintSignature").GetString().ShouldBe(sent);
        (await network.MintIntentAsync(burn)).Signatures.ShouldBe([sent]);
        (await network.PurchasesInLedgerAsync(burn)).ShouldHaveSingleItem().Signature.ShouldBe(sent);
        (await network.IosdAsync(buyer.PublicKey)).ShouldBe(1_200_000UL);
        await restarted.KillAsync();
    }

    [Fact]
    public async Task kills_at_arbitrary_moments_while_burns_arrive_leave_every_burn_minted_exactly_once()
    {
        using var buyer = await network.BuyerWithIoAsync(100_00000000);
        var random = new Random(20261207);
        var burns = new List<(string Burn, ulong Io)>();
        for (var round = 0; round < 6; round++)
        {
            var api = await network.StartApiAsync($"api-{round}");
            var io = 100_000_000UL + (ulong)round;
            burns.Add((await network.BurnAsync(buyer, io, 800_000, null), io));
            await Task.Delay(random.Next(0, 1_500), TestContext.Current.CancellationToken); // the fault under test: a kill at a (seeded) arbitrary moment
            await api.KillAsync();
        }
        var last = await network.StartApiAsync("api-last");

        ulong expected = 0;
        foreach (var (burn, io) in burns)
        {
            var iosd = checked(io * 800_000UL / 100_000_000UL);
            (await CreditsNetwork.WaitMintedAsync(last, burn)).GetProperty("iosdAmount").GetUInt64().ShouldBe(iosd);
            (await network.PurchasesInLedgerAsync(burn)).ShouldHaveSingleItem().IosdMinted.ShouldBe(iosd);
            var intent = await network.MintIntentAsync(burn);
            var landed = 0;
            foreach (var signature in intent.Signatures)
                landed += await network.LandedAsync(signature) ? 1 : 0;
            landed.ShouldBe(1, $"of the signatures {string.Join(", ", intent.Signatures)} of {burn}");
            expected += iosd;
        }
        (await network.IosdAsync(buyer.PublicKey)).ShouldBe(expected);
        (await network.IosdMintsInLedgerAsync(buyer.PublicKey)).Count.ShouldBe(burns.Count);
        await last.KillAsync();
    }
}
