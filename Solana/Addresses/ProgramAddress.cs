using System.Security.Cryptography;
using IoNet.Solana.Keys;

namespace IoNet.Solana.Addresses;

/// <summary>Program derived addresses: sha256(seeds ‖ program id ‖ "ProgramDerivedAddress"), required to be off the curve.</summary>
public static class ProgramAddress
{
    public const int MaxSeeds = 16;
    public const int MaxSeedLength = 32;

    private static ReadOnlySpan<byte> Marker => "ProgramDerivedAddress"u8;

    /// <summary>The address for exactly these seeds; throws when it falls on the curve (no PDA for them).</summary>
    public static PublicKey Create(IReadOnlyList<byte[]> seeds, PublicKey programId) =>
        TryCreate(seeds, programId, out var address)
            ? address
            : throw new SolanaException("These seeds give an address on the ed25519 curve: not a valid program address.");

    public static bool TryCreate(IReadOnlyList<byte[]> seeds, PublicKey programId, out PublicKey address)
    {
        CheckSeeds(seeds, extra: 0);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var seed in seeds)
            sha.AppendData(seed);
        sha.AppendData(programId.Bytes);
        sha.AppendData(Marker);
        Span<byte> hash = stackalloc byte[32];
        sha.GetHashAndReset(hash);
        address = new PublicKey(hash);
        return !Curve25519.IsOnCurve(hash);
    }

    /// <summary>The canonical address: the first bump from 255 down that gives an off-curve address.</summary>
    public static (PublicKey Address, byte Bump) Find(IReadOnlyList<byte[]> seeds, PublicKey programId)
    {
        CheckSeeds(seeds, extra: 1);
        var withBump = new byte[seeds.Count + 1][];
        for (var i = 0; i < seeds.Count; i++)
            withBump[i] = seeds[i];
        var bump = new byte[1];
        withBump[^1] = bump;
        for (var b = 255; b >= 0; b--)
        {
            bump[0] = (byte)b;
            if (TryCreate(withBump, programId, out var address))
                return (address, (byte)b);
        }
        throw new SolanaException("No bump seed gives a valid program address for these seeds.");
    }

    private static void CheckSeeds(IReadOnlyList<byte[]> seeds, int extra)
    {
        if (seeds.Count + extra > MaxSeeds)
            throw new SolanaException($"At most {MaxSeeds} seeds (bump included), not {seeds.Count + extra}.");
        foreach (var seed in seeds)
        {
            if (seed.Length > MaxSeedLength)
                throw new SolanaException($"A seed is at most {MaxSeedLength} bytes, not {seed.Length}.");
        }
    }
}
