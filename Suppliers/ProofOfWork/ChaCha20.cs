using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace IoNet.Suppliers.ProofOfWork;

/// <summary>
/// The ChaCha20 block function of RFC 8439 §2.3 (20 rounds, 32-bit block counter in state word 12, 96-bit nonce in
/// words 13–15), used as the proof of work's PRNG. Only the keystream is needed: no encryption, no Poly1305.
/// </summary>
internal static class ChaCha20
{
    public const int BlockWords = 16;
    public const int Lanes = 8;

    private const uint C0 = 0x61707865, C1 = 0x3320646e, C2 = 0x79622d32, C3 = 0x6b206574; // "expand 32-byte k"

    /// <summary>The key as eight little-endian words.</summary>
    public static KeyWords Key(ReadOnlySpan<byte> key32)
    {
        if (key32.Length != 32)
            throw new ArgumentException("A ChaCha20 key is 32 bytes.", nameof(key32));
        var k = new KeyWords();
        for (var i = 0; i < 8; i++)
            k[i] = BinaryPrimitives.ReadUInt32LittleEndian(key32[(4 * i)..]);
        return k;
    }

    /// <summary>One 64-byte block as 16 little-endian words.</summary>
    public static void Block(in KeyWords key, uint counter, uint nonce0, uint nonce1, uint nonce2, Span<uint> output)
    {
        Span<uint> s = stackalloc uint[BlockWords];
        s[0] = C0; s[1] = C1; s[2] = C2; s[3] = C3;
        for (var i = 0; i < 8; i++)
            s[4 + i] = key[i];
        s[12] = counter; s[13] = nonce0; s[14] = nonce1; s[15] = nonce2;
        var x = output[..BlockWords];
        s.CopyTo(x);
        for (var round = 0; round < 10; round++)
        {
            Quarter(ref x[0], ref x[4], ref x[8], ref x[12]);
            Quarter(ref x[1], ref x[5], ref x[9], ref x[13]);
            Quarter(ref x[2], ref x[6], ref x[10], ref x[14]);
            Quarter(ref x[3], ref x[7], ref x[11], ref x[15]);
            Quarter(ref x[0], ref x[5], ref x[10], ref x[15]);
            Quarter(ref x[1], ref x[6], ref x[11], ref x[12]);
            Quarter(ref x[2], ref x[7], ref x[8], ref x[13]);
            Quarter(ref x[3], ref x[4], ref x[9], ref x[14]);
        }
        for (var i = 0; i < BlockWords; i++)
            x[i] += s[i];
    }

    /// <summary>
    /// Eight consecutive blocks (counters <paramref name="counter"/> … +7) into 128 words, in stream order; the same
    /// words as eight calls of <see cref="Block"/>, computed eight lanes at a time.
    /// </summary>
    public static void Blocks8(in KeyWords key, uint counter, uint nonce0, uint nonce1, uint nonce2, Span<uint> output)
    {
        if (output.Length < Lanes * BlockWords)
            throw new ArgumentException("Eight blocks need 128 words.", nameof(output));
        var counters = Vector256.Create(counter) + Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);
        Span<Vector256<uint>> s = stackalloc Vector256<uint>[BlockWords];
        s[0] = Vector256.Create(C0); s[1] = Vector256.Create(C1); s[2] = Vector256.Create(C2); s[3] = Vector256.Create(C3);
        for (var i = 0; i < 8; i++)
            s[4 + i] = Vector256.Create(key[i]);
        s[12] = counters; s[13] = Vector256.Create(nonce0); s[14] = Vector256.Create(nonce1); s[15] = Vector256.Create(nonce2);

        var x0 = s[0]; var x1 = s[1]; var x2 = s[2]; var x3 = s[3];
        var x4 = s[4]; var x5 = s[5]; var x6 = s[6]; var x7 = s[7];
        var x8 = s[8]; var x9 = s[9]; var x10 = s[10]; var x11 = s[11];
        var x12 = s[12]; var x13 = s[13]; var x14 = s[14]; var x15 = s[15];
        for (var round = 0; round < 10; round++)
        {
            Quarter(ref x0, ref x4, ref x8, ref x12);
            Quarter(ref x1, ref x5, ref x9, ref x13);
            Quarter(ref x2, ref x6, ref x10, ref x14);
            Quarter(ref x3, ref x7, ref x11, ref x15);
            Quarter(ref x0, ref x5, ref x10, ref x15);
            Quarter(ref x1, ref x6, ref x11, ref x12);
            Quarter(ref x2, ref x7, ref x8, ref x13);
            Quarter(ref x3, ref x4, ref x9, ref x14);
        }
        Span<Vector256<uint>> x = stackalloc Vector256<uint>[BlockWords];
        x[0] = x0 + s[0]; x[1] = x1 + s[1]; x[2] = x2 + s[2]; x[3] = x3 + s[3];
        x[4] = x4 + s[4]; x[5] = x5 + s[5]; x[6] = x6 + s[6]; x[7] = x7 + s[7];
        x[8] = x8 + s[8]; x[9] = x9 + s[9]; x[10] = x10 + s[10]; x[11] = x11 + s[11];
        x[12] = x12 + s[12]; x[13] = x13 + s[13]; x[14] = x14 + s[14]; x[15] = x15 + s[15];
        // Lane j of word w is word w of block j: transpose into stream order.
        for (var w = 0; w < BlockWords; w++)
        {
            var v = x[w];
            for (var j = 0; j < Lanes; j++)
                output[j * BlockWords + w] = v.GetElement(j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quarter(ref uint a, ref uint b, ref uint c, ref uint d)
    {
        a += b; d ^= a; d = BitOperations.RotateLeft(d, 16);
        c += d; b ^= c; b = BitOperations.RotateLeft(b, 12);
        a += b; d ^= a; d = BitOperations.RotateLeft(d, 8);
        c += d; b ^= c; b = BitOperations.RotateLeft(b, 7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quarter(ref Vector256<uint> a, ref Vector256<uint> b, ref Vector256<uint> c, ref Vector256<uint> d)
    {
        a += b; d ^= a; d = Rotate(d, 16);
        c += d; b ^= c; b = Rotate(b, 12);
        a += b; d ^= a; d = Rotate(d, 8);
        c += d; b ^= c; b = Rotate(b, 7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotate(Vector256<uint> v, int bits) =>
        Vector256.ShiftLeft(v, bits) | Vector256.ShiftRightLogical(v, 32 - bits);

    [InlineArray(8)]
    public struct KeyWords
    {
        private uint _element0;
    }
}
