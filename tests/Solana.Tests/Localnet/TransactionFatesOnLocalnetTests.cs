using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;
using IoNet.TestSupport;

namespace IoNet.Solana.Tests.Localnet;

/// <summary>TransactionFates against the real localnet: what a sender may conclude about a transaction it signed.</summary>
public sealed class TransactionFatesOnLocalnetTests(LocalnetProcess localnet) : IClassFixture<LocalnetProcess>
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

    private static async Task<(byte[] Bytes, string Signature, ulong LastValid)> Signed(SolanaRpcClient rpc, Keypair payer, PublicKey to, ulong lamports)
    {
        var latest = (await rpc.GetLatestBlockhashAsync(cancellationToken: Ct)).Value;
        var message = MessageCompiler.CompileLegacy(payer.PublicKey, [Transfer(payer.PublicKey, to, lamports)], Blockhash.Parse(latest.Blockhash));
        var tx = new Transaction(message).Sign(payer);
        return (tx.Serialize(), tx.Id.ToString(), latest.LastValidBlockHeight);
    }

    [Fact]
    public async Task a_landed_transaction_is_landed_even_after_its_blockhash_expired()
    {
        using var rpc = new SolanaRpcClient(localnet.RpcUrl);
        var (bytes, signature, _) = await Signed(rpc, Faucet, Keypair.Generate().PublicKey, 1_000_000);
        (await rpc.SendTransactionAsync(bytes, cancellationToken: Ct)).ShouldBe(signature);

        // A last valid block height already passed: the status, found in the history, still wins.
        var report = await rpc.CheckAsync(signature, lastValidBlockHeight: 0, cancellationToken: Ct);

        report.Fate.ShouldBe(TransactionFate.Landed);
        report.Slot.ShouldNotBeNull();
        report.Err.ShouldBeNull();
    }

    [Fact]
    public async Task a_transaction_that_landed_and_failed_is_failed_with_its_error()
    {
        using var rpc = new SolanaRpcClient(localnet.RpcUrl);
        using var poor = Keypair.Generate();
        (await rpc.SendTransactionAsync((await Signed(rpc, Faucet, poor.PublicKey, 10_000_000)).Bytes, cancellationToken: Ct)).ShouldNotBeNull();
        // More than it holds: without preflight the node records the failure and charges the fee.
        var (bytes, signature, lastValid) = await Signed(rpc, poor, Keypair.Generate().PublicKey, 9_000_000_000);
        await rpc.SendTransactionAsync(bytes, new SendTransactionOptions { SkipPreflight = true }, Ct);

        var report = await rpc.CheckAsync(signature, lastValid, cancellationToken: Ct);

        report.Fate.ShouldBe(TransactionFate.Failed);
        report.Err.ShouldNotBeNull();
    }

    [Fact]
    public async Task a_transaction_never_sent_is_in_flight_while_its_blockhash_is_valid_and_expired_after()
    {
        using var rpc = new SolanaRpcClient(localnet.RpcUrl);
        var (bytes, signature, lastValid) = await Signed(rpc, Faucet, Keypair.Generate().PublicKey, 1_000_000);

        var inFlight = await rpc.CheckAsync(signature, lastValid, cancellationToken: Ct);
        inFlight.Fate.ShouldBe(TransactionFate.InFlight);
        inFlight.BlockHeight.ShouldBeLessThanOrEqualTo(lastValid);

        // As if its last valid block height were behind us (the node would then refuse its blockhash).
        var height = await rpc.GetBlockHeightAsync(Commitment.Finalized, Ct);
        var expired = await rpc.CheckAsync(signature, height - 1, cancellationToken: Ct);
        expired.Fate.ShouldBe(TransactionFate.Expired);
        expired.Slot.ShouldBeNull();

        // Sending the same bytes twice: the second is refused as already processed, which a sender may ignore.
        await rpc.SendTransactionAsync(bytes, cancellationToken: Ct);
        var again = await Should.ThrowAsync<RpcException>(() => rpc.SendTransactionAsync(bytes, cancellationToken: Ct));
        TransactionFates.IsAlreadyProcessed(again).ShouldBeTrue();
        (await rpc.CheckAsync(signature, lastValid, cancellationToken: Ct)).Fate.ShouldBe(TransactionFate.Landed);
    }
}
