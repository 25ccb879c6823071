using IoNet.Ledger.Staking;
using IoNet.Marketplace.Chain;
using IoNet.Programs.Flows;
using IoNet.Solana.Keys;
using IoNet.Suppliers.Staking;
using Marten;
using Microsoft.Extensions.Options;

namespace IoNet.Marketplace.ProofOfWork;

/// <summary>
/// One Slash the outbox sends: burn <see cref="Amount"/> IO base units of <see cref="Staker"/>'s stake for
/// <see cref="Device"/>. <see cref="Before"/>: how many slashes of that stake the Ledger held when it was decided (the
/// chain names no challenge, so the next one after those is this one's).
/// </summary>
public sealed record SlashPayload(Guid Device, string Staker, ulong Amount, int Before, Guid Challenge);

/// <summary>
/// Slashing a device's stake for a proof of work failed while hired (Suppliers/Staking/DeviceStake: 10 % of what is in
/// the stake vault, rounded up), per staker, through the transaction outbox: decided in the same commit as the device's
/// Failed status, sent exactly once as IoNetFlows.Slash signed by the stake authority.
/// </summary>
public sealed class StakeSlashing(TransactionOutbox outbox)
{
    public const string KindName = "slash";

    /// <summary>
    /// Queues into <paramref name="session"/> the slashes of every stake of <paramref name="device"/> for
    /// <paramref name="challenge"/> (outbox key <c>slash:&lt;challenge&gt;:&lt;staker&gt;</c>: decided once). Returns them.
    /// </summary>
    public async Task<IReadOnlyList<SlashPayload>> QueueAsync(IDocumentSession session, Guid device, Guid challenge, DateTimeOffset now, CancellationToken ct)
    {
        var hex = device.ToString("N");
        var deposited = await session.Events.QueryRawEventDataOnly<StakeDeposited>().Where(e => e.Device == hex).ToListAsync(ct);
        var withdrawn = await session.Events.QueryRawEventDataOnly<StakeWithdrawn>().Where(e => e.Device == hex).ToListAsync(ct);
        var slashed = await session.Events.QueryRawEventDataOnly<StakeSlashed>().Where(e => e.Device == hex).ToListAsync(ct);
        var slashes = new List<SlashPayload>();
        foreach (var staker in deposited.Select(e => e.Staker).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var inVault = (Int128)Sum(deposited.Where(e => e.Staker == staker).Select(e => e.Amount))
                - Sum(withdrawn.Where(e => e.Staker == staker).Select(e => e.Amount)) - Sum(slashed.Where(e => e.Staker == staker).Select(e => e.Amount));
            if (inVault <= 0)
                continue;
            var stake = new DeviceStake();
            stake.Deposit((ulong)inVault);
            var amount = stake.Slash(SlashReason.FailedProofWhileHired, StakeRules.Default);
            var payload = new SlashPayload(device, staker, amount, slashed.Count(e => e.Staker == staker), challenge);
            await outbox.EnqueueAsync(session, OutboxEntry.Of($"{KindName}:{challenge:N}:{staker}", KindName, staker, payload), now, ct);
            slashes.Add(payload);
        }
        return slashes;
    }

    private static ulong Sum(IEnumerable<ulong> amounts) => amounts.Aggregate(0UL, (sum, a) => checked(sum + a));
}

/// <summary>
/// The outbox operation of a slash: IoNetFlows.Slash signed (and paid for) by the stake authority, whose keypair file
/// the network's address file names. Done once the Ledger holds more StakeSlashed of that stake than before the decision.
/// </summary>
public sealed class SlashPayment(ChainAccess chain, IOptions<ChainSettings> settings, IDocumentStore store) : IOutboxOperation, IDisposable
{
    private readonly Lazy<KeypairFileSigner> _stakeAuthority = new(() => new KeypairFileSigner(
        IoNetAddressFile.Load(Path.GetFullPath(settings.Value.AddressFile)).KeypairFile(IoNetAddressFile.Stake)), LazyThreadSafetyMode.PublicationOnly);

    public string Kind => StakeSlashing.KindName;

    public OutboxTransaction Build(OutboxIntent intent)
    {
        var p = intent.PayloadAs<SlashPayload>();
        var authority = _stakeAuthority.Value;
        return new OutboxTransaction(authority, IoNetFlows.Slash(authority.PublicKey, chain.Network.Io, p.Device, PublicKey.Parse(p.Staker), p.Amount));
    }

    public async Task<string?> FindInLedgerAsync(OutboxIntent intent, CancellationToken cancellationToken)
    {
        var p = intent.PayloadAs<SlashPayload>();
        var hex = p.Device.ToString("N");
        await using var session = store.QuerySession();
        var slashed = await session.Events.QueryRawEventDataOnly<StakeSlashed>()
            .Where(e => e.Device == hex && e.Staker == p.Staker).ToListAsync(cancellationToken);
        var ordered = slashed.OrderBy(e => e.Slot).ThenBy(e => e.Signature, StringComparer.Ordinal).ToList();
        return ordered.Count > p.Before ? ordered[p.Before].Signature : null;
    }

    public void Dispose()
    {
        if (_stakeAuthority.IsValueCreated)
            _stakeAuthority.Value.Dispose();
    }
}
