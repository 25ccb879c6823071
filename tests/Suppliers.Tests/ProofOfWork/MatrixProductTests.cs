using IoNet.Suppliers.Gpu;
using IoNet.Suppliers.ProofOfWork;

namespace IoNet.Suppliers.Tests.ProofOfWork;

public sealed class MatrixProductTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(128)]
    [InlineData(300)]
    public void derived_rows_are_the_documented_keystream_words_below_p(int n)
    {
        var seed = Reference.Seed(3);
        var a = ProofOfWorkMatrices.Derive(seed, ProofOfWorkMatrices.MatrixA, n, TestContext.Current.CancellationToken);
        a.ShouldBe(Reference.Matrix(seed, ProofOfWorkMatrices.MatrixA, n));
        a.ShouldAllBe(v => v < ProofOfWorkLimits.Prime);
        var b = new uint[n];
        ProofOfWorkMatrices.DeriveRow(seed, ProofOfWorkMatrices.MatrixB, (uint)(n - 1), b);
        b.ShouldBe(Reference.Row(seed, ProofOfWorkMatrices.MatrixB, (uint)(n - 1), n));
        b.ShouldNotBe(a.AsSpan((n - 1) * n, n).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(70)]
    [InlineData(300)]
    public void the_cpu_solver_computes_a_times_b_mod_p(int n)
    {
        var seed = Reference.Seed(5);
        var expected = Reference.Product(
            Reference.Matrix(seed, ProofOfWorkMatrices.MatrixA, n), Reference.Matrix(seed, ProofOfWorkMatrices.MatrixB, n), n);

        new CpuMatrixSolver().Multiply(seed, n, TestContext.Current.CancellationToken).Values.ShouldBe(expected);
        new CpuMatrixSolver(maxDegreeOfParallelism: 1).Multiply(seed, n, TestContext.Current.CancellationToken).Values.ShouldBe(expected);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(300)]
    public void the_kernel_does_not_overflow_when_every_value_is_p_minus_one(int n)
    {
        var a = Enumerable.Repeat(ProofOfWorkLimits.Prime - 1, n * n).ToArray();
        var c = new uint[n * n];
        for (var k0 = 0; k0 < n; k0 += CpuMatrixSolver.KBlock)
        {
            var kc = Math.Min(CpuMatrixSolver.KBlock, n - k0);
            ModularProduct.Accumulate(a, a.AsSpan(k0 * n, kc * n), c, n, 0, n, k0, kc);
        }
        // (p − 1)² ≡ 1 (mod p), so every entry is n mod p.
        c.ShouldAllBe(v => v == (uint)n);
        Reference.Product(a, a, n).ShouldBe(c);
    }

    [Fact]
    public void the_verifier_recomputes_exactly_the_sampled_rows_of_the_product()
    {
        const int n = 300;
        var seed = Reference.Seed(7);
        var c = new CpuMatrixSolver().Multiply(seed, n, TestContext.Current.CancellationToken);
        int[] rows = [299, 0, 150, 64, 1];

        var expected = ProofOfWorkVerifier.ExpectedRows(seed, n, rows);

        for (var s = 0; s < rows.Length; s++)
            expected.AsSpan(s * n, n).ToArray().ShouldBe(c.Row(rows[s]).ToArray(), $"row {rows[s]}");
    }

    [Theory]
    [InlineData(16)]
    [InlineData(45)]
    public void the_ilgpu_solver_on_the_cpu_accelerator_equals_the_cpu_solver(int n)
    {
        var seed = Reference.Seed(11);
        using var gpu = IlgpuMatrixSolver.CreateForCpuAccelerator();

        gpu.Multiply(seed, n, TestContext.Current.CancellationToken).Values.ShouldBe(new CpuMatrixSolver().Multiply(seed, n, TestContext.Current.CancellationToken).Values);
        gpu.Name.ShouldStartWith("ilgpu cpu");
    }
}
