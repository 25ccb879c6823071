using IoNet.Suppliers.ProofOfWork;

namespace IoNet.Suppliers.Tests.ProofOfWork;

public sealed class RowSamplingTests
{
    private static readonly Guid Challenge = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    [Theory]
    [InlineData(1, 1)]
    [InlineData(100, 64)]
    [InlineData(64, 64)]
    [InlineData(16_384, 64)]
    [InlineData(12_289, 7)]
    public void the_sample_is_k_distinct_rows_below_n_and_the_same_every_time(int n, int k)
    {
        var rows = RowSampling.Indices(Challenge, Reference.Seed(1), Reference.Seed(2), n, k);

        rows.Length.ShouldBe(k);
        rows.Distinct().Count().ShouldBe(k);
        rows.ShouldAllBe(r => r >= 0 && r < n);
        RowSampling.Indices(Challenge, Reference.Seed(1), Reference.Seed(2), n, k).ShouldBe(rows);
    }

    [Fact]
    public void another_root_salt_or_challenge_samples_other_rows()
    {
        var rows = RowSampling.Indices(Challenge, Reference.Seed(1), Reference.Seed(2), 16_384, 64);

        RowSampling.Indices(Challenge, Reference.Seed(3), Reference.Seed(2), 16_384, 64).ShouldNotBe(rows);
        RowSampling.Indices(Challenge, Reference.Seed(1), Reference.Seed(3), 16_384, 64).ShouldNotBe(rows);
        RowSampling.Indices(Guid.Empty, Reference.Seed(1), Reference.Seed(2), 16_384, 64).ShouldNotBe(rows);
    }

    [Fact]
    public void every_row_is_drawn_about_equally_often()
    {
        // 20,000 samples of 8 rows of 50: each row is drawn 3,200 times on average (σ ≈ 53).
        const int n = 50, k = 8, trials = 20_000;
        var counts = new int[n];
        var random = new Random(10);
        var salt = new byte[32];
        for (var t = 0; t < trials; t++)
        {
            random.NextBytes(salt);
            foreach (var r in RowSampling.Indices(Challenge, Reference.Seed(1), new Bytes32(salt), n, k))
                counts[r]++;
        }
        counts.ShouldAllBe(c => Math.Abs(c - trials * k / n) < 5 * 53);
    }
}
