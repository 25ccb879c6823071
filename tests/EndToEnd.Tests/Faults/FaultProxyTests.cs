using System.Diagnostics;
using IoNet.Programs.SystemProgram;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.TestSupport;

namespace IoNet.EndToEnd.Tests.Faults;

/// <summary>
/// The SDK clients against the real localnet through <see cref="FaultProxy"/>: every injected fault really happens
/// (counted) and the clients still get the node's true answers, or the typed error a lagging node gives.
/// </summary>
public sealed class FaultProxyTests(LocalnetChain chain) : IClassFixture<LocalnetChain>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SolanaRpcClientOptions FastRetries = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(1),
        MaxRetries = 6,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
    };

    private Task<FaultProxy> ProxyAsync(int seed = 1) => FaultProxy.StartAsync(chain.Process.RpcUrl, chain.Process.WebsocketUrl, seed, Ct);

    private string IoMint => chain.Network.Io.Address.ToString();

    [Fact]
    public async Task Proxy_listens_on_two_consecutive_loopback_ports_and_forwards_untouched_without_faults()
    {
        await using var proxy = await ProxyAsync();
        proxy.WebsocketUrl.Port.ShouldBe(proxy.Port + 1);
        proxy.RpcUrl.IsLoopback.ShouldBeTrue();
        using var rpc = new SolanaRpcClient(proxy.RpcUrl, FastRetries);
        var expected = (await chain.Rpc.GetTokenSupplyAsync(IoMint, cancellationToken: Ct)).Value;
        var actual = (await rpc.GetTokenSupplyAsync(IoMint, cancellationToken: Ct)).Value;
        actual.BaseUnits.ShouldBe(expected.BaseUnits);
        proxy.ForwardedRequests.ShouldBe(1);
        proxy.InjectedCounts.Values.Sum().ShouldBe(0);
        await Should.ThrowAsync<ArgumentException>(() => FaultProxy.StartAsync(new Uri("http://10.0.0.1:8899"), cancellationToken: Ct));
    }

    [Fact]
    public async Task Http_429_with_Retry_After_500_and_503_are_retried_and_the_answer_is_the_nodes()
    {
        await using var proxy = await ProxyAsync();
        proxy.RetryAfter = TimeSpan.FromSeconds(1);
        proxy.Next(FaultKind.TooManyRequests, 1);
        proxy.Next(FaultKind.InternalServerError, 1);
        proxy.Next(FaultKind.ServiceUnavailable, 1);
        using var rpc = new SolanaRpcClient(proxy.RpcUrl, FastRetries);

        var expected = (await chain.Rpc.GetTokenSupplyAsync(IoMint, cancellationToken: Ct)).Value;
        var watch = Stopwatch.StartNew();
        var actual = (await rpc.GetTokenSupplyAsync(IoMint, cancellationToken: Ct)).Value;

        actual.BaseUnits.ShouldBe(expected.BaseUnits);
        actual.Decimals.ShouldBe(expected.Decimals);
        proxy.Injected(FaultKind.TooManyRequests).ShouldBe(1);
        proxy.Injected(FaultKind.InternalServerError).ShouldBe(1);
        proxy.Injected(FaultKind.ServiceUnavailable).ShouldBe(1);
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950), "the client waits the Retry-After of the 429");
        proxy.ForwardedRequests.ShouldBe(1);

        // A rule limited to some methods leaves the others alone.
        proxy.Next(FaultKind.InternalServerError, 1, "getTransaction");
        using var once = new SolanaRpcClient(proxy.RpcUrl, FastRetries with { MaxRetries = 0 });
        (await once.GetSlotAsync(cancellationToken: Ct)).ShouldBeGreaterThan(0UL);
        proxy.Injected(FaultKind.InternalServerError).ShouldBe(1);
        var failure = await Should.ThrowAsync<RpcHttpException>(() => once.GetTransactionAsync(new string('1', 64), cancellationToken: Ct));
        failure.StatusCode.ShouldBe(500);
        proxy.Injected(FaultKind.InternalServerError).ShouldBe(2);
    }

    [Fact]
    public async Task Random_faults_from_a_seed_are_reproducible_and_every_call_still_succeeds()
    {
        async Task<(IReadOnlyDictionary<FaultKind, long> Counts, List<ulong> Supplies)> RunAsync()
        {
            await using var proxy = await ProxyAsync(seed: 42);
            proxy.RetryAfter = TimeSpan.Zero;
            proxy.Set(FaultKind.TooManyRequests, probability: 0.25);
            proxy.Set(FaultKind.ServiceUnavailable, probability: 0.15);
            proxy.Set(FaultKind.ResetBeforeResponse, probability: 0.15);
            // No timeouts here: on a loaded machine one would add a request and shift the seeded sequence.
            using var rpc = new SolanaRpcClient(proxy.RpcUrl, FastRetries with { MaxRetries = 10, RequestTimeout = TimeSpan.FromSeconds(30) });
            var supplies = new List<ulong>();
            for (var i = 0; i < 15; i++)
                supplies.Add((await rpc.GetTokenSupplyAsync(IoMint, cancellationToken: Ct)).Value.BaseUnits);
            return (proxy.InjectedCounts, supplies);
        }

        var first = await RunAsync();
        var second = await RunAsync();
        var supply = (await chain.Rpc.GetTokenSupplyAsync(IoMint, cancellationToken: Ct)).Value.BaseUnits;
        first.Supplies.ShouldAllBe(s => s == supply);
        first.Counts[FaultKind.TooManyRequests].ShouldBeGreaterThan(0);
        (first.Counts[FaultKind.ServiceUnavailable] + first.Counts[FaultKind.ResetBeforeResponse]).ShouldBeGreaterThan(0);
        second.Counts.ShouldBe(first.Counts, "the same seed and the same requests inject the same faults");
    }

    [Fact]
    public async Task Timeouts_and_connection_resets_are_retried_and_the_answer_is_the_nodes()
    {
        await using var proxy = await ProxyAsync();
        proxy.HoldFor = TimeSpan.FromSeconds(3);
        proxy.Next(FaultKind.Timeout, 1);
        proxy.Next(FaultKind.ResetBeforeResponse, 1);
        proxy.Next(FaultKind.ResetMidBody, 1);
        using var rpc = new SolanaRpcClient(proxy.RpcUrl, FastRetries);

        var expected = (await chain.Rpc.GetTokenSupplyAsync(IoMint, cancellationToken: Ct)).Value;
        var actual = (await rpc.GetTokenSupplyAsync(IoMint, cancellationToken: Ct)).Value;

        actual.BaseUnits.ShouldBe(expected.BaseUnits);
        proxy.Injected(FaultKind.Timeout).ShouldBe(1);
        proxy.Injected(FaultKind.ResetBeforeResponse).ShouldBe(1);
        proxy.Injected(FaultKind.ResetMidBody).ShouldBe(1);
        proxy.ForwardedRequests.ShouldBe(2, "the half-sent answer and the good one");

        // Without retries each fault surfaces as the typed transient error.
        using var once = new SolanaRpcClient(proxy.RpcUrl, FastRetries with { MaxRetries = 0 });
        proxy.Next(FaultKind.Timeout, 1);
        (await Should.ThrowAsync<RpcException>(() => once.GetSlotAsync(cancellationToken: Ct))).Kind.ShouldBe(RpcErrorKind.Timeout);
        proxy.Next(FaultKind.ResetMidBody, 1);
        (await Should.ThrowAsync<RpcException>(() => once.GetSlotAsync(cancellationToken: Ct))).Kind.ShouldBe(RpcErrorKind.Transport);
    }

    [Fact]
    public async Task A_lagging_node_that_does_not_know_until_answers_getSignaturesForAddress_with_its_newest_page()
    {
        var wallet = await chain.NewWalletAsync(ct: Ct);
        await chain.ExecuteAsync(chain.Faucet, [new SystemTransfer(chain.Faucet.PublicKey, wallet.PublicKey, 1_000).Build()], ct: Ct);
        await chain.ExecuteAsync(chain.Faucet, [new SystemTransfer(chain.Faucet.PublicKey, wallet.PublicKey, 2_000).Build()], ct: Ct);
        var address = wallet.PublicKey.ToString();
        var newestPage = (await chain.Rpc.GetSignaturesForAddressAsync(address, cancellationToken: Ct)).Select(s => s.Signature).ToList();
        newestPage.Count.ShouldBe(3);
        var until = new SignaturesForAddressOptions { Until = newestPage[1] };

        await using var proxy = await ProxyAsync();
        using var rpc = new SolanaRpcClient(proxy.RpcUrl, FastRetries);
        (await rpc.GetSignaturesForAddressAsync(address, until, Ct)).Select(s => s.Signature).ShouldBe([newestPage[0]]);

        proxy.Next(FaultKind.UnknownUntil, 1);
        var lagging = (await rpc.GetSignaturesForAddressAsync(address, until, Ct)).Select(s => s.Signature).ToList();
        lagging.ShouldBe(newestPage, "until was dropped: the node answered with its newest page, past the until signature");
        proxy.Injected(FaultKind.UnknownUntil).ShouldBe(1);

        // A call without until is never rewritten (nor counted).
        proxy.Set(FaultKind.UnknownUntil, probability: 1);
        (await rpc.GetSignaturesForAddressAsync(address, cancellationToken: Ct)).Select(s => s.Signature).ShouldBe(newestPage);
        proxy.Injected(FaultKind.UnknownUntil).ShouldBe(1);
    }

    [Fact]
    public async Task Batch_items_get_block_not_available_and_slot_skipped_each_as_its_own_RpcException()
    {
        var wallet = await chain.NewWalletAsync(ct: Ct);
        var landed = (await chain.Rpc.GetSignaturesForAddressAsync(wallet.PublicKey.ToString(), cancellationToken: Ct)).Single();

        await using var proxy = await ProxyAsync();
        using var rpc = new SolanaRpcClient(proxy.RpcUrl, FastRetries);
        proxy.Next(FaultKind.BlockNotAvailable, 1);
        proxy.Next(FaultKind.SlotSkipped, 1);
        var batch = new RpcBatch();
        var notAvailable = batch.Add(RpcRequests.GetTransaction(landed.Signature));
        var skipped = batch.Add(RpcRequests.GetTransaction(landed.Signature));
        var answered = batch.Add(RpcRequests.GetTransaction(landed.Signature));
        var slot = batch.Add(RpcRequests.GetSlot());
        await rpc.SendBatchAsync(batch, Ct);

        notAvailable.Error.ShouldNotBeNull();
        notAvailable.Error.Code.ShouldBe(RpcErrorCodes.BlockNotAvailable);
        notAvailable.Error.Kind.ShouldBe(RpcErrorKind.BlockNotAvailable);
        notAvailable.Error.Message.ShouldContain($"Block not available for slot {landed.Slot}");
        Should.Throw<RpcException>(() => notAvailable.Value).Code.ShouldBe(-32004);
        skipped.Error.ShouldNotBeNull();
        skipped.Error.Code.ShouldBe(RpcErrorCodes.SlotSkipped);
        skipped.Error.Kind.ShouldBe(RpcErrorKind.SlotSkipped);
        skipped.Error.Message.ShouldContain($"Slot {landed.Slot} was skipped, or missing due to ledger jump to recent snapshot");
        answered.Value!.Slot.ShouldBe(landed.Slot);
        slot.Value.ShouldBeGreaterThanOrEqualTo(landed.Slot);
        proxy.Injected(FaultKind.BlockNotAvailable).ShouldBe(1);
        proxy.Injected(FaultKind.SlotSkipped).ShouldBe(1);

        // A single call gets the same error (not transient: no retry).
        proxy.Set(FaultKind.SlotSkipped, probability: 1);
        var error = await Should.ThrowAsync<RpcException>(() => rpc.GetTransactionAsync(landed.Signature, cancellationToken: Ct));
        error.Code.ShouldBe(RpcErrorCodes.SlotSkipped);
        proxy.Clear(FaultKind.SlotSkipped);
        (await rpc.GetTransactionAsync(landed.Signature, cancellationToken: Ct))!.Slot.ShouldBe(landed.Slot);
    }

    [Fact]
    public async Task The_streaming_client_reconnects_after_dropped_websockets_reports_the_gap_and_slots_keep_coming()
    {
        await using var proxy = await ProxyAsync();
        proxy.DropWebsocketAfterMessages = 4; // the subscribe answer and three slot notifications per connection
        await using var stream = new SolanaStreamingClient(proxy.WebsocketUrl, new SolanaStreamingClientOptions
        {
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
            RequestTimeout = TimeSpan.FromSeconds(5),
        });
        var gaps = new List<StreamGap>();
        stream.GapDetected += (_, gap) => { lock (gaps) gaps.Add(gap); };
        var subscription = await stream.SlotSubscribeAsync(Ct);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(12));
        var slots = new List<ulong>();
        while (true)
        {
            slots.Add((await subscription.ReadAsync(deadline.Token)).Slot);
            lock (gaps)
            {
                if (gaps.Count >= 2 && slots.Count >= 8)
                    break;
            }
        }

        proxy.Injected(FaultKind.WebsocketDrop).ShouldBeGreaterThanOrEqualTo(2);
        stream.Connections.ShouldBeGreaterThanOrEqualTo(3);
        proxy.WebsocketConnections.ShouldBeGreaterThanOrEqualTo(3);
        List<StreamGap> seen;
        lock (gaps)
            seen = [.. gaps];
        foreach (var gap in seen)
        {
            gap.LastSlotBefore.ShouldNotBeNull();
            gap.FirstSlotAfter.ShouldBeGreaterThan(gap.LastSlotBefore.Value);
        }
        slots.ShouldBe(slots.Order().ToList(), "slots only move forward across reconnects");
        slots.Distinct().Count().ShouldBe(slots.Count);
    }

    [Fact]
    public async Task Dropped_notifications_and_randomly_dropped_websockets_leave_slotSubscribe_delivering()
    {
        await using var proxy = await ProxyAsync(seed: 3);
        proxy.Set(FaultKind.NotificationDrop, probability: 0.3, next: 1, "slotNotification");
        proxy.Set(FaultKind.WebsocketDrop, probability: 0.2, next: 0, "slotNotification");
        await using var stream = new SolanaStreamingClient(proxy.WebsocketUrl, new SolanaStreamingClientOptions
        {
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
            RequestTimeout = TimeSpan.FromSeconds(5),
        });
        var subscription = await stream.SlotSubscribeAsync(Ct);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(12));
        var slots = new List<ulong>();
        while (slots.Count < 6 || proxy.Injected(FaultKind.WebsocketDrop) == 0 || proxy.Injected(FaultKind.NotificationDrop) < 2)
            slots.Add((await subscription.ReadAsync(deadline.Token)).Slot);

        proxy.Injected(FaultKind.NotificationDrop).ShouldBeGreaterThanOrEqualTo(2);
        proxy.Injected(FaultKind.WebsocketDrop).ShouldBeGreaterThan(0);
        stream.Connections.ShouldBeGreaterThan(1);
        (slots[^1] - slots[0] + 1).ShouldBeGreaterThan((ulong)slots.Count, "some slots were never delivered");
        slots.ShouldBe(slots.Order().ToList());
    }
}
