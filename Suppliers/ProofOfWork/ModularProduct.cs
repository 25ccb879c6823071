using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace IoNet.Suppliers.ProofOfWork;

/// <summary>
/// The arithmetic of the proof of work: products of matrices of integers mod p = 2^31 − 1, accumulated in 64 bits.
///
/// Why no sum overflows (the bound every kernel here keeps): a product of two residues is at most (p − 1)² =
/// (2^31 − 2)² = 2^62 − 2^33 + 4. Folding x ↦ (x &amp; p) + (x &gt;&gt; 31) keeps x mod p (2^31 ≡ 1 mod p) and leaves
/// at most (2^31 − 1) + (2^33 − 1) = 2^33 + 2^31 − 2. An accumulator starts below 2^31 (a residue), and between two
/// folds receives at most 4 products: 2^33 + 2^31 − 2 + 4·(2^62 − 2^33 + 4) = 2^64 − 2^35 + 2^33 + 2^31 + 14 &lt; 2^64.
/// The final reduction folds once more (≤ 2^31 + 6 from any value ≤ 2^34) and subtracts p once if needed.
/// </summary>
internal static class ModularProduct
{
    public const uint P = 0x7FFF_FFFF;

    /// <summary>Products added between two folds (see the bound above).</summary>
    public const int FoldEvery = 4;

    /// <summary>Set false to force the portable scalar kernel (tests compare the two).</summary>
    internal static bool UseAvx2 { get; set; } = Avx2.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Fold(ulong x) => (x & P) + (x >> 31);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Reduce(ulong x)
    {
        x = Fold(Fold(x));
        return (uint)(x >= P ? x - P : x);
    }

    /// <summary>
    /// c[i, :] = (c[i, :] + a[i, k0 .. k0+kc) · b[0 .. kc, :]) mod p for rows i in [rowStart, rowStart + rowCount):
    /// <paramref name="a"/> and <paramref name="c"/> have row stride <paramref name="n"/>, <paramref name="b"/> holds
    /// kc rows of n values (the k-block), and c's entries are residues on entry and on return.
    /// </summary>
    public static void Accumulate(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b, Span<uint> c, int n, int rowStart, int rowCount, int k0, int kc)
    {
        var rowEnd = rowStart + rowCount;
        var col = 0;
        if (UseAvx2)
        {
            for (; col + 8 <= n; col += 8)
            {
                var i = rowStart;
                for (; i + 4 <= rowEnd; i += 4)
                    Tile4x8(a, b, c, n, i, col, k0, kc);
                for (; i < rowEnd; i++)
                    Tile1x8(a, b, c, n, i, col, k0, kc);
            }
        }
        for (var i = rowStart; i < rowEnd; i++)
        {
            for (var j = col; j < n; j++)
            {
                ulong acc = c[i * n + j];
                var r = 0;
                while (r < kc)
                {
                    var stop = Math.Min(kc, r + FoldEvery);
                    for (; r < stop; r++)
                        acc += (ulong)a[i * n + k0 + r] * b[r * n + j];
                    acc = Fold(acc);
                }
                c[i * n + j] = Reduce(acc);
            }
        }
    }

    // Four rows × eight columns in sixteen 64-bit lanes: the even columns in one vector, the odd ones in another, so
    // that vpmuludq (which multiplies the low 32 bits of each 64-bit lane) needs no shuffle in or out.
    private static void Tile4x8(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b, Span<uint> c, int n, int i, int col, int k0, int kc)
    {
        ref var aRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), i * n + k0);
        ref var bCol = ref Unsafe.Add(ref MemoryMarshal.GetReference(b), col);
        ref var cRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(c), i * n + col);
        var low = Vector256.Create(0xFFFF_FFFFUL);
        var c0 = Vector256.LoadUnsafe(ref cRow).AsUInt64();
        var c1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref cRow, n)).AsUInt64();
        var c2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref cRow, 2 * n)).AsUInt64();
        var c3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref cRow, 3 * n)).AsUInt64();
        Vector256<ulong> e0 = c0 & low, o0 = c0 >>> 32, e1 = c1 & low, o1 = c1 >>> 32;
        Vector256<ulong> e2 = c2 & low, o2 = c2 >>> 32, e3 = c3 & low, o3 = c3 >>> 32;
        var r = 0;
        while (r < kc)
        {
            var stop = Math.Min(kc, r + FoldEvery);
            for (; r < stop; r++)
            {
                var be = Vector256.LoadUnsafe(ref Unsafe.Add(ref bCol, r * n));
                var bo = (be.AsUInt64() >>> 32).AsUInt32();
                var x0 = Vector256.Create((ulong)Unsafe.Add(ref aRow, r)).AsUInt32();
                var x1 = Vector256.Create((ulong)Unsafe.Add(ref aRow, n + r)).AsUInt32();
                var x2 = Vector256.Create((ulong)Unsafe.Add(ref aRow, 2 * n + r)).AsUInt32();
                var x3 = Vector256.Create((ulong)Unsafe.Add(ref aRow, 3 * n + r)).AsUInt32();
                e0 += Avx2.Multiply(x0, be); o0 += Avx2.Multiply(x0, bo);
                e1 += Avx2.Multiply(x1, be); o1 += Avx2.Multiply(x1, bo);
                e2 += Avx2.Multiply(x2, be); o2 += Avx2.Multiply(x2, bo);
                e3 += Avx2.Multiply(x3, be); o3 += Avx2.Multiply(x3, bo);
            }
            e0 = Fold(e0); o0 = Fold(o0); e1 = Fold(e1); o1 = Fold(o1);
            e2 = Fold(e2); o2 = Fold(o2); e3 = Fold(e3); o3 = Fold(o3);
        }
        Store(ref cRow, e0, o0);
        Store(ref Unsafe.Add(ref cRow, n), e1, o1);
        Store(ref Unsafe.Add(ref cRow, 2 * n), e2, o2);
        Store(ref Unsafe.Add(ref cRow, 3 * n), e3, o3);
    }

    private static void Tile1x8(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b, Span<uint> c, int n, int i, int col, int k0, int kc)
    {
        ref var aRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), i * n + k0);
        ref var bCol = ref Unsafe.Add(ref MemoryMarshal.GetReference(b), col);
        ref var cRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(c), i * n + col);
        var c0 = Vector256.LoadUnsafe(ref cRow).AsUInt64();
        Vector256<ulong> e0 = c0 & Vector256.Create(0xFFFF_FFFFUL), o0 = c0 >>> 32;
        var r = 0;
        while (r < kc)
        {
            var stop = Math.Min(kc, r + FoldEvery);
            for (; r < stop; r++)
            {
                var be = Vector256.LoadUnsafe(ref Unsafe.Add(ref bCol, r * n));
                var bo = (be.AsUInt64() >>> 32).AsUInt32();
                var x0 = Vector256.Create((ulong)Unsafe.Add(ref aRow, r)).AsUInt32();
                e0 += Avx2.Multiply(x0, be); o0 += Avx2.Multiply(x0, bo);
            }
            e0 = Fold(e0); o0 = Fold(o0);
        }
        Store(ref cRow, e0, o0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Fold(Vector256<ulong> x) => (x & Vector256.Create((ulong)P)) + (x >>> 31);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Reduce(Vector256<ulong> x)
    {
        var p = Vector256.Create((ulong)P);
        x = Fold(x);
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, p), x - p, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref uint destination, Vector256<ulong> even, Vector256<ulong> odd) =>
        (Reduce(even) | (Reduce(odd) << 32)).AsUInt32().StoreUnsafe(ref destination);
}
