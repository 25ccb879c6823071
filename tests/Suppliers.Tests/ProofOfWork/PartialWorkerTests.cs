using IoNet.Suppliers.ProofOfWork;

namespace IoNet.Suppliers.Tests.ProofOfWork;

/// <summary>
/// A worker that computes only a fraction f of C's rows (garbage in the others) and commits honestly to what it has
/// passes only when all k sampled rows are computed ones: C(fn, k) / C(n, k) ≤ f^k. Fixed seeds, counted outcomes.
/// </summary>
public sealed class PartialWorkerTests
{
    /// <summary>The exact pass probability: k rows drawn without replacement from n, all among the <paramref name="computed"/>.</summary>
    private static double Hypergeometric(int n, int computed, int k)
    {
        var p = 1.0;
        for (var i = 0; i < k; i++)
            p *= (double)(computed - i) / (n - i);
        return p;
    }

    private static double Sigma(double p, int trials) => Math.Sqrt(p * (1 - p) / trials);

    [Fact]
    public void a_worker_skipping_5_percent_of_rows_passes_at_most_0_95_to_the_k_over_1000_full_verifications()
    {
        const int n = 200, skipped = 10, k = ProofOfWorkLimits.DefaultK, trials = 1_000;
        var exchange = new ProofOfWorkExchange(n, k, 30, ProofOfWorkExchange.Key(1));
        var random = new Random(2026);
        var skippedRows = Enumerable.Range(0, n).OrderBy(_ => random.Next()).Take(skipped).ToHashSet();
        var values = exchange.HonestProduct().Values;
        foreach (var row in skippedRows)
            for (var j = 0; j < n; j++)
                values[row * n + j] = (uint)random.Next(0, int.MaxValue);
        var answer = ProofOfWorkAnswer.Prepare(new ProductMatrix(n, values));

        var outcomes = new Dictionary<string, int>();
        var salt = new byte[32];
        for (var t = 0; t < trials; t++)
        {
            random.NextBytes(salt);
            var challenge = ProofOfWorkChallenge.Issue(
                new Guid(t, 0, 0x7000, 0x80, 0, 0, 0, 0, 0, 0, 0), exchange.Challenge.Device, n, k, exchange.Challenge.Seed,
                new Bytes32(salt), ProofOfWorkExchange.IssuedAt, ProofOfWorkExchange.TimeLimit);
            var commitment = answer.Commit(challenge.Id, 5_000, exchange.Device);
            var outcome = ProofOfWorkVerifier.Verify(
                challenge, new Bytes32(salt), false, exchange.Device.PublicKey, commitment, exchange.CommittedAt,
                answer.Open(challenge, new Bytes32(salt)), exchange.OpenedAt);
            var key = outcome.Failure?.ToString() ?? "Verified";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }

        var passRate = outcomes.GetValueOrDefault("Verified") / (double)trials;
        var exact = Hypergeometric(n, n - skipped, k);
        var fToTheK = Math.Pow(0.95, k);
        outcomes.Keys.ShouldBeSubsetOf(["Verified", "WrongAnswer"]);
        passRate.ShouldBeLessThanOrEqualTo(fToTheK + 3 * Sigma(fToTheK, trials));
        passRate.ShouldBe(exact, 4 * Sigma(exact, trials));
    }

    [Theory]
    [InlineData(0.75, 4)]
    [InlineData(0.9, 8)]
    [InlineData(0.5, 2)]
    public void the_pass_rate_of_a_fraction_f_of_rows_is_about_f_to_the_k(double f, int k)
    {
        // Sampling alone (the verifier's check of a sampled row is exact): 20,000 draws on n = 4,096 rows.
        const int n = 4_096, trials = 20_000;
        var computed = (int)(f * n);
        var random = new Random(7);
        var salt = new byte[32];
        var passed = 0;
        for (var t = 0; t < trials; t++)
        {
            random.NextBytes(salt);
            if (RowSampling.Indices(Guid.Empty, Reference.Seed(1), new Bytes32(salt), n, k).All(r => r < computed))
                passed++;
        }

        var exact = Hypergeometric(n, computed, k);
        (passed / (double)trials).ShouldBe(exact, 4 * Sigma(exact, trials));
        exact.ShouldBeLessThanOrEqualTo(Math.Pow(f, k));
        exact.ShouldBe(Math.Pow(f, k), Math.Pow(f, k) * 0.01);
    }
}
