using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;
using IoNet.TestSupport;

namespace IoNet.Solana.Tests.Localnet;

/// <summary>The RPC, websocket and send-and-confirm clients against the real localnet on 127.0.0.1.</summary>
public sealed class ClientsAgainstLocalnetTests(LocalnetProcess localnet) : IClassFixture<LocalnetProcess>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Keypair Faucet => Keypair.Load(localnet.Addresses.GetProperty("authorities").GetProperty("faucet").GetProperty("keypair").GetString()!);

    private static TransactionInstruction Transfer(PublicKey from, PublicKey to, ulong lamports)
    {
        var data = new byte[12];
        data[0] = 2;
        BitConverter.TryWriteBytes(data.AsSpan(4), lamports);
        return new(Addresses.WellKnownPrograms.System, [AccountMeta.Writable(from, true), AccountMeta.Writable(to)], data);
    }

    private static async Task<(byte[] Bytes, ulong LastValid)> Signed(SolanaRpcClient rpc, Keypair payer, PublicKey to, ulong lamports)
    {
        var latest = (await rpc.GetLatestBlockhashAsync(cancellationToken: Ct)).Value;
        var message = MessageCompiler.CompileLegacy(payer.PublicKey, [Transfer(payer.PublicKey, to, lamports)], Blockhash.Parse(latest.Blockhash));
        return (new Transaction(message).Sign(payer).Serialize(), latest.LastValidBlockHeight);
    }

    [Fact]
    public async Task send_and_confirm_is_confirmed_over_the_websocket_and_the_logs_subscription_sees_it()
    {
        using var rpc = new SolanaRpcClient(localnet.RpcUrl);
        await using var streaming = new SolanaStreamingClient(localnet.WebsocketUrl);
        var to = Keypair.Generate().PublicKey;
        await using var logs = await streaming.LogsSubscribeAsync(to.ToString(), cancellationToken: Ct);

        var (bytes, lastValid) = await Signed(rpc, Faucet, to, 4_000_000);
        var confirmation = await new TransactionSender(rpc, streaming).SendAndConfirmAsync(bytes, lastValid, cancellationToken: Ct);

        confirmation.Outcome.ShouldBe(ConfirmationOutcome.Confirmed);
        (await rpc.GetBalanceAsync(to.ToString(), cancellationToken: Ct)).Value.ShouldBe(4_000_000UL);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await foreach (var note in logs.ReadAllAsync(timeout.Token))
        {
            note.Value.Signature.ShouldBe(confirmation.Signature);
            note.Value.Err.ShouldBeNull();
            break;
        }
    }

    [Fact]
    public async Task a_batch_answers_every_call_by_id()
    {
        using var rpc = new SolanaRpcClient(localnet.RpcUrl);
        var batch = new RpcBatch();
        var slot = batch.Add(RpcRequests.GetSlot());
        var health = batch.Add(RpcRequests.GetHealth());
        var balance = batch.Add(RpcRequests.GetBalance(Faucet.PublicKey.ToString()));
        await rpc.SendBatchAsync(batch, Ct);
        slot.Value.ShouldBeGreaterThan(0UL);
        health.Value.ShouldBe("ok");
        balance.Value.Value.ShouldBeGreaterThan(0UL);
    }

    [Fact]
    public async Task account_info_reads_back_exactly_including_u64_max_rent_epoch()
    {
        using var rpc = new SolanaRpcClient(localnet.RpcUrl);
        var account = await rpc.GetAccountInfoAsync(Faucet.PublicKey.ToString(), AccountEncoding.Base64, null, Ct);
        account.Value!.RentEpoch.ShouldBe(ulong.MaxValue);
        account.Value.Lamports.ShouldBe((await rpc.GetBalanceAsync(Faucet.PublicKey.ToString(), cancellationToken: Ct)).Value);
    }

    [Fact]
    public async Task when_the_node_restarts_the_websocket_reconnects_resubscribes_and_reports_the_gap()
    {
        await using var streaming = new SolanaStreamingClient(localnet.WebsocketUrl, new SolanaStreamingClientOptions { ReconnectBaseDelay = TimeSpan.FromMilliseconds(100), ReconnectMaxDelay = TimeSpan.FromMilliseconds(500) });
        await using var slots = await streaming.SlotSubscribeAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await using var reader = slots.ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        (await reader.MoveNextAsync()).ShouldBeTrue();
        var before = reader.Current.Slot;

        await localnet.RestartAsync(Ct);

        await using var gaps = streaming.Gaps(timeout.Token).GetAsyncEnumerator(timeout.Token);
        (await gaps.MoveNextAsync()).ShouldBeTrue();
        var gap = gaps.Current;
        gap.LastSlotBefore.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(before);
        // The localnet saves its slot so that even a kill -9 never sends it back (restart.test.mjs).
        gap.FirstSlotAfter.ShouldBeGreaterThan(gap.LastSlotBefore!.Value);
        // The slot subscription was renewed on the new connection: past the slots buffered before the kill, the
        // restarted node's own notifications arrive.
        do
            (await reader.MoveNextAsync()).ShouldBeTrue();
        while (reader.Current.Slot < gap.FirstSlotAfter);
        reader.Current.Slot.ShouldBe(gap.FirstSlotAfter);
        streaming.Connections.ShouldBeGreaterThanOrEqualTo(2);
    }
}
