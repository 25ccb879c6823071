using IoNet.Solana.Rpc;
using IoNet.Solana.Tests.Rpc.Server;

namespace IoNet.Solana.Tests.Rpc;

/// <summary>The websocket client and send-and-confirm against the real test server on 127.0.0.1.</summary>
public sealed class SolanaStreamingClientTests : IAsyncLifetime
{
    private FaultServer _server = null!;
    private SolanaStreamingClient _stream = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>How long to wait for an event before calling it lost: a guard against hanging, not a speed check.</summary>
    private static readonly TimeSpan Lost = TimeSpan.FromSeconds(30);

    private static readonly SolanaStreamingClientOptions Fast = new()
    {
        ReconnectBaseDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(100),
        RequestTimeout = Lost,
    };

    public async ValueTask InitializeAsync()
    {
        _server = await FaultServer.StartAsync();
        _stream = new SolanaStreamingClient(_server.WsUri, Fast);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<(string Method, string Params, int Id)> Subscribed()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Lost);
        return await _server.Subscriptions.Reader.ReadAsync(timeout.Token);
    }

    private static string Slot(ulong slot) => $"{{\"parent\":{slot - 1},\"root\":{slot - 32},\"slot\":{slot}}}";

    [Fact]
    public async Task slot_subscribe_delivers_slot_notifications()
    {
        var slots = await _stream.SlotSubscribeAsync(Ct);
        var sub = await Subscribed();
        sub.Method.ShouldBe("slotSubscribe");
        await _server.NotifyAsync("slotNotification", sub.Id, Slot(100));
        var first = await slots.ReadAsync(Ct);
        (first.Slot, first.Parent, first.Root).ShouldBe((100UL, 99UL, 68UL));
    }

    [Fact]
    public async Task a_notification_sent_right_after_the_subscribe_reply_is_delivered()
    {
        // A node may notify as soon as it has answered: the client must know the id before it reads the next message
        // (the id was once registered on another thread, and about one such notification in four was lost under load).
        for (var i = 0; i < 50; i++)
        {
            var subscribing = _stream.SlotSubscribeAsync(Ct);
            var sub = await Subscribed();
            await _server.NotifyAsync("slotNotification", sub.Id, Slot(100 + (ulong)i));
            await using var slots = await subscribing;
            (await slots.ReadAsync(Ct).AsTask().WaitAsync(Lost, Ct)).Slot.ShouldBe(100 + (ulong)i);
        }
    }

    [Fact]
    public async Task messages_of_unexpected_shape_are_skipped_and_the_connection_keeps_delivering()
    {
        var slots = await _stream.SlotSubscribeAsync(Ct);
        var sub = await Subscribed();
        string[] odd =
        [
            "not json",
            "[1,2,3]",
            "{\"jsonrpc\":\"2.0\",\"id\":\"seven\",\"result\":1}",
            "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"error\":{\"code\":\"x\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1e400,\"result\":1}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"slotNotification\",\"params\":{\"subscription\":\"abc\",\"result\":{}}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"slotNotification\",\"params\":{\"subscription\":" + sub.Id + ",\"result\":{\"slot\":\"high\"}}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"slotNotification\",\"params\":{\"subscription\":" + sub.Id + ",\"result\":[]}}",
        ];
        foreach (var message in odd)
            await _server.SendRawAsync(message);
        await _server.NotifyAsync("slotNotification", sub.Id, Slot(300));
        (await slots.ReadAsync(Ct)).Slot.ShouldBe(300UL);
        _stream.Connections.ShouldBe(1);
    }

    [Fact]
    public async Task logs_subscribe_asks_for_mentions_with_the_commitment_and_delivers_logs()
    {
        var logs = await _stream.LogsSubscribeAsync("BZLbGTNCSFfoth2GYDtwr7e4imWzpR5jqcUuGEwr646K", Commitment.Finalized, Ct);
        var sub = await Subscribed();
        sub.Method.ShouldBe("logsSubscribe");
        sub.Params.ShouldBe("""[{"mentions":["BZLbGTNCSFfoth2GYDtwr7e4imWzpR5jqcUuGEwr646K"]},{"commitment":"finalized"}]""");
        await _server.NotifyAsync("logsNotification", sub.Id,
            """{"context":{"slot":5208469},"value":{"signature":"5h6xBEauJ3PK6SWCZ1PGjBvj8vDdWG3KpwATGy1ARAXFSDwt8GFXM7W5Ncn16wmqokgpiKRLuS83KUxyZyv2sUYv","err":{"InstructionError":[0,{"Custom":1}]},"logs":["SBF program 83astBRguLMdt2h5U1Tpdq5tjFoJ6noeGwaY3mDLVcri success"]}}""");
        var n = await logs.ReadAsync(Ct);
        (n.Context.Slot, n.Value.Signature[..8], n.Value.Err!.CustomCode, n.Value.Logs!.Count).ShouldBe((5208469UL, "5h6xBEau", 1u, 1));
    }

    [Fact]
    public async Task a_dropped_connection_is_reconnected_resubscribed_and_the_slot_gap_reported()
    {
        var slots = await _stream.SlotSubscribeAsync(Ct);
        var logs = await _stream.LogsSubscribeAsync("addr", null, Ct);
        var first = await Subscribed();
        var firstLogs = await Subscribed();
        await _server.NotifyAsync("slotNotification", first.Id, Slot(10));
        await _server.NotifyAsync("slotNotification", first.Id, Slot(11));
        (await slots.ReadAsync(Ct)).Slot.ShouldBe(10UL);
        (await slots.ReadAsync(Ct)).Slot.ShouldBe(11UL);
        var reported = new TaskCompletionSource<StreamGap>();
        _stream.GapDetected += (_, gap) => reported.TrySetResult(gap);

        _server.DropWebSockets();
        var again = new[] { await Subscribed(), await Subscribed() };
        again.Select(s => s.Method).ShouldBe(["slotSubscribe", "logsSubscribe"], ignoreOrder: true);
        again.Select(s => s.Id).ShouldNotContain(first.Id);
        again.Select(s => s.Id).ShouldNotContain(firstLogs.Id);
        var newSlotSub = again.Single(s => s.Method == "slotSubscribe");
        // Right after the subscribe reply, as a node may: the client knows the new id before it reads the next message.
        await _server.NotifyAsync("slotNotification", newSlotSub.Id, Slot(15));

        (await slots.ReadAsync(Ct)).Slot.ShouldBe(15UL);
        var gap = await reported.Task.WaitAsync(Lost, Ct);
        (gap.LastSlotBefore, gap.FirstSlotAfter).ShouldBe(((ulong?)11, 15UL));
        await using var e = _stream.Gaps(Ct).GetAsyncEnumerator(Ct);
        (await e.MoveNextAsync()).ShouldBeTrue();
        e.Current.ShouldBe(gap);
        _server.WebSocketConnections.ShouldBe(2);
        _stream.Connections.ShouldBe(2);
    }

    [Fact]
    public async Task an_unsubscribed_stream_ends()
    {
        var slots = await _stream.SlotSubscribeAsync(Ct);
        await Subscribed();
        await slots.DisposeAsync();
        var count = 0;
        await foreach (var _ in slots.ReadAllAsync(Ct))
            count++;
        count.ShouldBe(0);
    }

    [Fact]
    public async Task a_signature_subscription_is_one_shot()
    {
        var sig = await _stream.SignatureSubscribeAsync("sig", Commitment.Confirmed, Ct);
        var sub = await Subscribed();
        sub.Params.ShouldBe("""["sig",{"commitment":"confirmed"}]""");
        await _server.NotifyAsync("signatureNotification", sub.Id, """{"context":{"slot":5207624},"value":{"err":null}}""");
        var all = new List<RpcResponse<SignatureNotification>>();
        await foreach (var n in sig.ReadAllAsync(Ct))
            all.Add(n);
        all.ShouldHaveSingleItem().Context.Slot.ShouldBe(5207624UL);
    }

    [Fact]
    public async Task a_refused_connection_makes_subscribe_fail_with_a_clear_timeout()
    {
        var port = _server.WsUri.Port;
        await _server.DisposeAsync();
        await using var client = new SolanaStreamingClient(new Uri($"ws://127.0.0.1:{port}/"), Fast with { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        var e = await Should.ThrowAsync<RpcException>(() => client.SlotSubscribeAsync(Ct));
        e.Kind.ShouldBe(RpcErrorKind.Timeout);
        _server = await FaultServer.StartAsync();
    }

    // --- send and confirm ---

    private static byte[] SignedTransaction()
    {
        var bytes = new byte[1 + 64 + 40];
        bytes[0] = 1;
        for (var i = 1; i < 65; i++) bytes[i] = (byte)i;
        return bytes;
    }

    private void ServeSend(Func<int, string> statuses, ulong blockHeight)
    {
        var signature = TransactionSender.FirstSignature(SignedTransaction());
        _server.Result("sendTransaction", $"\"{signature}\"");
        var polls = 0;
        _server.Result("getSignatureStatuses", _ => $"{{\"context\":{{\"slot\":1}},\"value\":[{statuses(Interlocked.Increment(ref polls))}]}}");
        _server.Result("getBlockHeight", blockHeight.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private SolanaRpcClient Rpc() => new(_server.HttpUri, new SolanaRpcClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10) });

    [Fact]
    public async Task send_and_confirm_completes_from_the_signature_notification()
    {
        ServeSend(_ => "null", 100);
        using var rpc = Rpc();
        var sender = new TransactionSender(rpc, _stream, new TransactionSenderOptions { PollInterval = TimeSpan.FromSeconds(5) });
        var confirming = sender.SendAndConfirmAsync(SignedTransaction(), 200, Commitment.Confirmed, Ct);
        var sub = await Subscribed();
        sub.Method.ShouldBe("signatureSubscribe");
        sub.Params.ShouldContain(TransactionSender.FirstSignature(SignedTransaction()));
        // Right after the subscribe reply: the notification waits in the subscription until the sender reads it.
        await _server.NotifyAsync("signatureNotification", sub.Id, """{"context":{"slot":77},"value":{"err":null}}""");
        var result = await confirming.WaitAsync(Lost, Ct);
        (result.Outcome, result.Slot, result.ViaWebsocket).ShouldBe((ConfirmationOutcome.Confirmed, (ulong?)77, true));
    }

    [Fact]
    public async Task send_and_confirm_falls_back_to_polling_and_reports_a_failed_transaction()
    {
        ServeSend(poll => poll < 3 ? "null"
            : """{"slot":88,"confirmations":1,"err":{"InstructionError":[1,{"Custom":6001}]},"status":{"Err":{"InstructionError":[1,{"Custom":6001}]}},"confirmationStatus":"confirmed"}""", 100);
        using var rpc = Rpc();
        var sender = new TransactionSender(rpc, null, new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(20) });
        var result = await sender.SendAndConfirmAsync(SignedTransaction(), 200, Commitment.Confirmed, Ct);
        (result.Outcome, result.Slot, result.Err!.CustomCode, result.ViaWebsocket).ShouldBe((ConfirmationOutcome.Failed, (ulong?)88, 6001u, false));
        _server.RequestCount("getSignatureStatuses").ShouldBe(3);
    }

    [Fact]
    public async Task processed_is_not_enough_when_confirmed_is_wanted()
    {
        ServeSend(poll => poll == 1
            ? """{"slot":88,"confirmations":0,"err":null,"status":{"Ok":null},"confirmationStatus":"processed"}"""
            : """{"slot":88,"confirmations":1,"err":null,"status":{"Ok":null},"confirmationStatus":"confirmed"}""", 100);
        using var rpc = Rpc();
        var sender = new TransactionSender(rpc, null, new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(20) });
        var result = await sender.SendAndConfirmAsync(SignedTransaction(), 200, Commitment.Confirmed, Ct);
        result.Outcome.ShouldBe(ConfirmationOutcome.Confirmed);
        _server.RequestCount("getSignatureStatuses").ShouldBe(2);
    }

    [Fact]
    public async Task send_and_confirm_stops_as_expired_once_the_block_height_passes_the_last_valid_one()
    {
        ServeSend(_ => "null", 301);
        using var rpc = Rpc();
        var sender = new TransactionSender(rpc, _stream, new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(20) });
        var result = await sender.SendAndConfirmAsync(SignedTransaction(), 300, Commitment.Confirmed, Ct);
        result.Outcome.ShouldBe(ConfirmationOutcome.Expired);
        result.Signature.ShouldBe(TransactionSender.FirstSignature(SignedTransaction()));
    }

    [Fact]
    public void a_transaction_without_a_signature_is_refused_clearly()
    {
        Should.Throw<SolanaException>(() => TransactionSender.FirstSignature([0, 1, 2]));
        Should.Throw<SolanaException>(() => new SolanaStreamingClient(new Uri("http://127.0.0.1/")));
    }

    [Fact]
    public async Task a_message_longer_than_the_cap_closes_the_connection_and_fails_the_subscriptions_with_a_clear_error()
    {
        await using var capped = new SolanaStreamingClient(_server.WsUri, Fast with { MaxMessageBytes = 1024 });
        var slots = await capped.SlotSubscribeAsync(Ct);
        var sub = await Subscribed();
        await _server.NotifyAsync("slotNotification", sub.Id, Slot(100));
        (await slots.ReadAsync(Ct)).Slot.ShouldBe(100UL);

        await _server.NotifyAsync("slotNotification", sub.Id, $"{{\"parent\":1,\"root\":1,\"slot\":2,\"pad\":\"{new string('p', 4096)}\"}}");
        // Reading the subscription to its end throws the error (ReadAsync wraps it in a ChannelClosedException).
        var error = await Should.ThrowAsync<RpcException>(async () =>
        {
            await foreach (var _ in slots.ReadAllAsync(Ct))
            {
            }
        });
        error.Kind.ShouldBe(RpcErrorKind.ResponseTooLarge);
        error.Message.ShouldContain("longer than the 1024 bytes this client reads (SolanaStreamingClientOptions.MaxMessageBytes)");
        capped.LastError.ShouldBeSameAs(error);

        // The client connects again for new subscriptions.
        var again = await capped.SlotSubscribeAsync(Ct);
        var second = await Subscribed();
        await _server.NotifyAsync("slotNotification", second.Id, Slot(200));
        (await again.ReadAsync(Ct)).Slot.ShouldBe(200UL);
        new SolanaStreamingClientOptions().MaxMessageBytes.ShouldBe(16 * 1024 * 1024);
    }
}
