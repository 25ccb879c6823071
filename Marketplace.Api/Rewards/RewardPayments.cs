using System.Globalization;
using IoNet.Ledger.Rewards;
using IoNet.Marketplace.Chain;
using IoNet.Programs.Flows;
using IoNet.Programs.Memo;
using IoNet.Solana.Keys;
using Marten;
using Microsoft.Extensions.Options;

namespace IoNet.Marketplace.Rewards;

/// <summary>The rewards treasury's signer: the keypair file addresses.json names for "treasury" (read on first use).</summary>
public sealed class RewardsTreasury : IDisposable
{
    private readonly Lazy<IAuthoritySigner> _signer;

    public RewardsTreasury(IOptions<ChainSettings> settings)
    {
        var file = Path.GetFullPath(settings.Value.AddressFile);
        // PublicationOnly: a failed load (no address file yet) is tried again next time, never cached.
        _signer = new(() => new KeypairFileSigner(IoNetAddressFile.Load(file).KeypairFile(IoNetAddressFile.Treasury)), LazyThreadSafetyMode.PublicationOnly);
    }

    public IAuthoritySigner Authority => _signer.Value;

    public void Dispose()
    {
        if (_signer.IsValueCreated && _signer.Value is IDisposable d)
            d.Dispose();
    }
}

/// <summary>One payout as the outbox stores it (key <c>reward:&lt;block&gt;:&lt;device&gt;</c>).</summary>
public sealed record RewardPaymentPayload(long Block, Guid Device, string Worker, ulong Amount)
{
    public static string Key(long block, Guid device) => $"reward:{block.ToString(CultureInfo.InvariantCulture)}:{device:N}";
}

/// <summary>
/// The outbox operation of a payout: PayReward (memo <c>ionet:v1:reward:&lt;block&gt;:&lt;device&gt;</c>) from the
/// treasury, signed by its authority (fee payer too). Work already done is a RewardPaid of that block and device in the
/// Ledger: only the treasury authority moves the treasury's tokens, so nothing is paid twice.
/// </summary>
public sealed class RewardPayment(ChainAccess chain, RewardsTreasury treasury, IDocumentStore store) : IOutboxOperation
{
    public const string KindName = "reward";

    public string Kind => KindName;

    public OutboxTransaction Build(OutboxIntent intent)
    {
        var p = intent.PayloadAs<RewardPaymentPayload>();
        var authority = treasury.Authority;
        return new OutboxTransaction(authority,
            IoNetFlows.PayReward(authority.PublicKey, chain.Network.Io, PublicKey.Parse(p.Worker), checked((ulong)p.Block), p.Device, p.Amount));
    }

    public async Task<string?> FindInLedgerAsync(OutboxIntent intent, CancellationToken cancellationToken)
    {
        var p = intent.PayloadAs<RewardPaymentPayload>();
        var block = checked((ulong)p.Block);
        var device = p.Device.ToString("N");
        await using var session = store.QuerySession();
        // Marten's LINQ does not compare ulong members: select by device, then the block here.
        var paid = await session.Events.QueryRawEventDataOnly<RewardPaid>().Where(e => e.Device == device).ToListAsync(cancellationToken);
        return paid.FirstOrDefault(e => e.Block == block)?.Signature;
    }
}

/// <summary>A block's root commitment as the outbox stores it (key <c>rewardroot:&lt;block&gt;</c>).</summary>
public sealed record RewardRootPayload(long Block, string Root, ulong Count, ulong Total)
{
    public static string Key(long block) => $"rewardroot:{block.ToString(CultureInfo.InvariantCulture)}";

    public RewardRootMemo Memo => new(checked((ulong)Block), Root, Count, Total);
}

/// <summary>
/// The outbox operation of a root commitment: the <see cref="RewardRootMemo"/> alone, signed by the treasury authority.
/// The indexer records no event for a memo without a token instruction, so the Ledger never holds it: the reward
/// service completes the intent itself once the outbox saw it land at finalized commitment (RewardBlockService).
/// </summary>
public sealed class RewardRootCommitment(RewardsTreasury treasury) : IOutboxOperation
{
    public const string KindName = "rewardroot";

    public string Kind => KindName;

    public OutboxTransaction Build(OutboxIntent intent)
    {
        var p = intent.PayloadAs<RewardRootPayload>();
        var authority = treasury.Authority;
        return new OutboxTransaction(authority, [MemoInstruction.Of(p.Memo.Text, authority.PublicKey).Build()]);
    }

    // Nothing in the Ledger names it; a transaction of an earlier attempt that landed keeps the intent Signed (never rebuilt).
    public Task<string?> FindInLedgerAsync(OutboxIntent intent, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
