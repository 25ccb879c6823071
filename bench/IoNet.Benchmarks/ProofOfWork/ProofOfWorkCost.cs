using System.Diagnostics;
using System.Globalization;
using IoNet.Suppliers;
using IoNet.Suppliers.ProofOfWork;

namespace IoNet.Benchmarks.ProofOfWork;

/// <summary>
/// `pow [n …] [--k K] [--gpu | --ilgpu-cpu]`: the honest solve (the CPU solver; with --gpu the ILGPU solver on the first
/// CUDA/OpenCL device, to calibrate Suppliers/ProofOfWork/proof-of-work-rates.json; --ilgpu-cpu its CPU simulation) (derive A and B, C = A·B mod p, hash the rows) against the server's
/// verification of K sampled rows (derive K rows of A and all of B, K rows of C), as process CPU time and wall time in
/// the same run; prints a Markdown table for docs/PERFORMANCE.md. Verification is single-threaded, the solve uses
/// every core, so the CPU-time ratio is the fair one.
/// </summary>
public static class ProofOfWorkCost
{
    public static int Run(string[] args)
    {
        var k = ProofOfWorkLimits.DefaultK;
        var sizes = new List<int>();
        IMatrixProductSolver solver = new CpuMatrixSolver();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--k")
                k = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--gpu")
                solver = IoNet.Suppliers.Gpu.IlgpuMatrixSolver.TryCreateForGpu() ?? throw new InvalidOperationException("No CUDA or OpenCL device found.");
            else if (args[i] == "--ilgpu-cpu")
                solver = IoNet.Suppliers.Gpu.IlgpuMatrixSolver.CreateForCpuAccelerator();
            else
                sizes.Add(int.Parse(args[i], CultureInfo.InvariantCulture));
        }
        if (sizes.Count == 0)
            sizes = [512, 1024, 2048];

        Console.WriteLine($"solver: {solver.Name}; {Environment.ProcessorCount} logical CPUs; k = {k}");
        Console.WriteLine("| n | solve CPU s | solve wall s | solve GMAC/s (wall) | verify CPU ms | verify wall ms | verify / solve (CPU) | k/n |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        // Warm-up: JIT and tiered compilation of both paths.
        Measure(solver, 128, Math.Min(k, 128));
        foreach (var n in sizes)
        {
            var (solveCpu, solveWall, verifyCpu, verifyWall) = Measure(solver, n, Math.Min(k, n));
            var macs = (double)n * n * n;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {n} | {solveCpu.TotalSeconds:F2} | {solveWall.TotalSeconds:F2} | {macs / solveWall.TotalSeconds / 1e9:F2} | {verifyCpu.TotalMilliseconds:F1} | {verifyWall.TotalMilliseconds:F1} | {verifyCpu / solveCpu:P2} | {(double)Math.Min(k, n) / n:P2} |"));
        }
        (solver as IDisposable)?.Dispose();
        return 0;
    }

    private static (TimeSpan SolveCpu, TimeSpan SolveWall, TimeSpan VerifyCpu, TimeSpan VerifyWall) Measure(IMatrixProductSolver solver, int n, int k)
    {
        using var device = IoNet.Solana.Keys.Keypair.Generate();
        var salt = Bytes32.Random();
        var challenge = ProofOfWorkChallenge.Issue(
            Guid.CreateVersion7(), Guid.NewGuid(), n, k, Bytes32.Random(), salt, DateTimeOffset.UtcNow, TimeSpan.FromHours(1));
        var process = Process.GetCurrentProcess();

        var cpu0 = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var (answer, commitment) = ProofOfWorkAnswer.Solve(challenge, solver, device);
        var solveWall = wall.Elapsed;
        process.Refresh();
        var solveCpu = process.TotalProcessorTime - cpu0;

        var opening = answer.Open(challenge, salt);
        var now = DateTimeOffset.UtcNow;
        process.Refresh();
        cpu0 = process.TotalProcessorTime;
        wall.Restart();
        var outcome = ProofOfWorkVerifier.Verify(challenge, salt, false, device.PublicKey, commitment, now, opening, now);
        var verifyWall = wall.Elapsed;
        process.Refresh();
        var verifyCpu = process.TotalProcessorTime - cpu0;
        if (!outcome.IsVerified)
            throw new InvalidOperationException($"An honest solve did not verify: {outcome}");
        return (solveCpu, solveWall, verifyCpu, verifyWall);
    }
}
