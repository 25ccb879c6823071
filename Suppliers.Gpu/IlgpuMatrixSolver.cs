using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using IoNet.Suppliers.ProofOfWork;

namespace IoNet.Suppliers.Gpu;

/// <summary>
/// The GPU solver (ILGPU: CUDA, OpenCL, or ILGPU's CPU accelerator in tests). A and B come from the shared derivation
/// (<see cref="ProofOfWorkMatrices"/>, on the CPU) so that there is one PRNG; the product runs on the device as a
/// 16 × 16 tiled kernel through shared memory, each thread accumulating one entry of C in 64 bits with the fold of
/// <see cref="ModularProduct"/> after every 4 products (the same overflow bound). Lives outside IoNet.Suppliers so
/// that the server, which only verifies, never loads ILGPU.
/// </summary>
public sealed class IlgpuMatrixSolver : IMatrixProductSolver, IDisposable
{
    private const int Tile = 16;
    private const uint P = ProofOfWorkLimits.Prime;

    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly Action<KernelConfig, ArrayView<uint>, ArrayView<uint>, ArrayView<uint>, int> _kernel;

    private IlgpuMatrixSolver(Context context, Accelerator accelerator)
    {
        _context = context;
        _accelerator = accelerator;
        _kernel = accelerator.LoadStreamKernel<ArrayView<uint>, ArrayView<uint>, ArrayView<uint>, int>(Kernel);
    }

    public string Name => $"ilgpu {_accelerator.AcceleratorType.ToString().ToLowerInvariant()}: {_accelerator.Name}";

    /// <summary>The first CUDA or OpenCL device, or null when the machine has none.</summary>
    public static IlgpuMatrixSolver? TryCreateForGpu()
    {
        var context = Context.Create(builder => builder.Cuda().OpenCL());
        var device = context.Devices.FirstOrDefault(d => d.AcceleratorType is AcceleratorType.Cuda or AcceleratorType.OpenCL);
        if (device is null)
        {
            context.Dispose();
            return null;
        }
        return new IlgpuMatrixSolver(context, device.CreateAccelerator(context));
    }

    /// <summary>
    /// ILGPU's CPU accelerator: the same kernel, simulated on the CPU (tests, machines without a GPU). It simulates an
    /// NVIDIA-shaped device (32 × 32 threads per group); the default one has 16 threads, fewer than a 16 × 16 tile.
    /// </summary>
    public static IlgpuMatrixSolver CreateForCpuAccelerator()
    {
        var context = Context.Create(builder => builder.CPU(CPUDeviceKind.Nvidia));
        return new IlgpuMatrixSolver(context, context.CreateCPUAccelerator(0));
    }

    public ProductMatrix Multiply(Bytes32 seed, int n, CancellationToken cancellationToken = default)
    {
        ProofOfWorkLimits.CheckN(n);
        var a = ProofOfWorkMatrices.Derive(seed, ProofOfWorkMatrices.MatrixA, n, cancellationToken);
        var b = ProofOfWorkMatrices.Derive(seed, ProofOfWorkMatrices.MatrixB, n, cancellationToken);
        using var aBuffer = _accelerator.Allocate1D(a);
        using var bBuffer = _accelerator.Allocate1D(b);
        using var cBuffer = _accelerator.Allocate1D<uint>((long)n * n);
        var groups = (n + Tile - 1) / Tile;
        _kernel(new KernelConfig(new Index2D(groups, groups), new Index2D(Tile, Tile)), aBuffer.View, bBuffer.View, cBuffer.View, n);
        _accelerator.Synchronize();
        cancellationToken.ThrowIfCancellationRequested();
        return new ProductMatrix(n, cBuffer.GetAsArray1D());
    }

    // One thread per entry of C; the group stages a 16 × 16 tile of A and of B in shared memory per step.
    private static void Kernel(ArrayView<uint> a, ArrayView<uint> b, ArrayView<uint> c, int n)
    {
        var tileA = SharedMemory.Allocate<uint>(Tile * Tile);
        var tileB = SharedMemory.Allocate<uint>(Tile * Tile);
        var tx = Group.IdxX;
        var ty = Group.IdxY;
        var col = Grid.IdxX * Tile + tx;
        var row = Grid.IdxY * Tile + ty;
        ulong acc = 0;
        for (var t = 0; t < n; t += Tile)
        {
            var aCol = t + tx;
            var bRow = t + ty;
            tileA[ty * Tile + tx] = row < n && aCol < n ? a[row * n + aCol] : 0u;
            tileB[ty * Tile + tx] = bRow < n && col < n ? b[bRow * n + col] : 0u;
            Group.Barrier();
            for (var q = 0; q < Tile; q += 4)
            {
                acc += (ulong)tileA[ty * Tile + q] * tileB[q * Tile + tx];
                acc += (ulong)tileA[ty * Tile + q + 1] * tileB[(q + 1) * Tile + tx];
                acc += (ulong)tileA[ty * Tile + q + 2] * tileB[(q + 2) * Tile + tx];
                acc += (ulong)tileA[ty * Tile + q + 3] * tileB[(q + 3) * Tile + tx];
                acc = (acc & P) + (acc >> 31);
            }
            Group.Barrier();
        }
        if (row < n && col < n)
        {
            acc = (acc & P) + (acc >> 31);
            c[row * n + col] = (uint)(acc >= P ? acc - P : acc);
        }
    }

    public void Dispose()
    {
        _accelerator.Dispose();
        _context.Dispose();
    }
}
