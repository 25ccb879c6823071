using Org.BouncyCastle.Math.EC.Rfc8032;

namespace IoNet.Solana.Keys;

internal static class Curve25519
{
    /// <summary>
    /// Whether 32 bytes decompress to a point of edwards25519 (what solana's bytes_are_curve_point checks).
    /// NSec accepts any 32 bytes; BouncyCastle's partial validation decompresses exactly, without rejecting
    /// small-subgroup points (which the Full variant would, wrongly for this purpose).
    /// </summary>
    public static bool IsOnCurve(ReadOnlySpan<byte> bytes) => Ed25519.ValidatePublicKeyPartial(bytes);
}
