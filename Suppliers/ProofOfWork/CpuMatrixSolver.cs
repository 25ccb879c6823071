using System.Runtime.Intrinsics.X86;

namespace IoNet.Suppliers.ProofOfWork;

/// <summary>
/// The CPU solver: A and B derived in parallel, then C computed over blocks of 64 rows on all cores
/// (Parallel.For), each block in k-steps of 256 so that the slice of B in use (256 rows × 8 columns) stays in L1,
/// with AVX2 vpmuludq on sixteen 64-bit accumulators (<see cref="ModularProduct"/>; a scalar kernel elsewhere).
/// </summary>
public sealed class CpuMatrixSolver(int? maxDegreeOfParallelism = null) : IMatrixProductSolver
{
    internal const int RowBlock = 64;
    internal const int KBlock = 256;

    public string Name =>
        $"cpu ({maxDegreeOfParallelism ?? Environment.ProcessorCount} threads, {(ModularProduct.UseAvx2 ? "AVX2" : "scalar")})";

    public ProductMatrix Multiply(Bytes32 seed, int n, CancellationToken cancellationToken = default)
    {
        ProofOfWorkLimits.CheckN(n);
        var options = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = maxDegreeOfParallelism ?? -1,
        };
        var a = ProofOfWorkMatrices.Derive(seed, ProofOfWorkMatrices.MatrixA, n, cancellationToken);
        var b = ProofOfWorkMatrices.Derive(seed, ProofOfWorkMatrices.MatrixB, n, cancellationToken);
        var c = new uint[n * n];
        var blocks = (n + RowBlock - 1) / RowBlock;
        Parallel.For(0, blocks, options, block =>
        {
            var rowStart = block * RowBlock;
            var rowCount = Math.Min(RowBlock, n - rowStart);
            for (var k0 = 0; k0 < n; k0 += KBlock)
            {
                var kc = Math.Min(KBlock, n - k0);
                ModularProduct.Accumulate(a, b.AsSpan(k0 * n, kc * n), c, n, rowStart, rowCount, k0, kc);
            }
        });
        return new ProductMatrix(n, c);
    }

    /// <summary>Whether this machine runs the vector kernel (x86-64 with AVX2).</summary>
    public static bool IsVectorized => Avx2.IsSupported;
}
