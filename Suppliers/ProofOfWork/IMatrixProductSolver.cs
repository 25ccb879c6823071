namespace IoNet.Suppliers.ProofOfWork;

/// <summary>Computes a challenge's C = A·B mod p from its seed. Every solver gives the same bytes (tests compare them).</summary>
public interface IMatrixProductSolver
{
    /// <summary>What the worker reports and logs ("cpu (16 threads, AVX2)", "cuda: NVIDIA H100").</summary>
    string Name { get; }

    ProductMatrix Multiply(Bytes32 seed, int n, CancellationToken cancellationToken = default);
}
