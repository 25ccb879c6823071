using FsCheck;
using FsCheck.Fluent;
using IoNet.Solana.Keys;
using IoNet.Suppliers.Rewards;

namespace IoNet.Suppliers.Tests.Rewards;

/// <summary>A block's distributable amount and its candidates, as a reward block would gather them.</summary>
public sealed record RewardRound(ulong Distributable, RewardCandidate[] Candidates)
{
    public static readonly DateTimeOffset BlockEnd = new(2026, 12, 7, 13, 0, 0, TimeSpan.Zero);

    public override string ToString() =>
        $"{Distributable} over [{string.Join(", ", Candidates.Select(c => $"{c.Device:N}/{c.Pool}/{c.Units}x{c.HardwareMultiplierHundredths}/t{c.ConnectivityTier}/{(c.Hired ? "hired" : "idle")}/{c.Stake}"))}]";
}

public static class RewardArbitraries
{
    private static readonly PublicKey[] Workers =
        [.. Enumerable.Range(1, 5).Select(b => ProofOfWork.ProofOfWorkExchange.Key((byte)b).PublicKey)];

    private static readonly int[] Multipliers = [0, 25, 50, 92, 100, 137, 233, 510, 1394, 1841];

    private static readonly Gen<RewardCandidate> Candidate =
        from pool in Gen.Frequency((4, Gen.Constant(RewardPool.Gpu)), (1, Gen.Constant(RewardPool.Cpu)))
        from units in pool == RewardPool.Gpu ? Gen.Choose(1, 8) : Gen.Constant(1)
        from multiplier in Gen.Elements(Multipliers)
        from tier in Gen.Choose(1, 4)
        from hired in Gen.Elements(true, false)
        from uptimeMinutes in Gen.Frequency((6, Gen.Choose(300, 1440)), (1, Gen.Choose(0, 299)))
        from proofAgeHours in Gen.Frequency((6, Gen.Choose(0, 24)), (1, Gen.Choose(25, 72)))
        from stakeSixteenths in Gen.Frequency((6, Gen.Choose(16, 64)), (1, Gen.Choose(0, 15)))
        from blocked in Gen.Frequency((12, Gen.Constant(false)), (1, Gen.Constant(true)))
        from worker in Gen.Elements(Workers)
        let required = 200 * EmissionSchedule.BaseUnitsPerIo * (ulong)Math.Max(100, multiplier) / 100 * (ulong)units
        select new RewardCandidate(
            Guid.Empty, worker, pool, units, multiplier, tier, hired,
            TimeSpan.FromMinutes(uptimeMinutes), proofAgeHours > 48 ? null : RewardRound.BlockEnd - TimeSpan.FromHours(proofAgeHours),
            required * (ulong)stakeSixteenths / 16, blocked);

    // Scattered ids, so that device order is not the order of generation.
    private static Guid DeviceId(int i) => new($"{unchecked((uint)(i * 2_654_435_761L)):x8}-0000-7000-8000-{i:x12}");

    public static Arbitrary<RewardRound> Rounds()
    {
        var amount = Gen.Frequency(
            (1, Gen.Choose(0, 20).Select(i => (ulong)i)),
            (3, Gen.Choose(0, int.MaxValue).Select(i => (ulong)i * 1_000_003)),
            (1, Gen.Constant(EmissionSchedule.TotalEmission)));
        var round =
            from distributable in amount
            from count in Gen.Sized(size => Gen.Choose(0, Math.Clamp(size, 1, 60)))
            from candidates in Gen.ArrayOf(Candidate, count)
            select new RewardRound(distributable, [.. candidates.Select((c, i) => c with { Device = DeviceId(i) })]);
        return Arb.From(round);
    }
}
