using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using IoNet.Ledger.Devices;
using IoNet.MarketplaceApi.Tests.Devices;
using IoNet.MarketplaceApi.Tests.Support;
using IoNet.Solana.Keys;
using IoNet.Suppliers;
using IoNet.Suppliers.ProofOfWork;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IoNet.MarketplaceApi.Tests.ProofOfWork;

/// <summary>
/// The challenge protocol over HTTP against the real service and PostgreSQL, the device side played by the real CPU
/// solver and a device keypair. Small matrices (n = 64, k = 16) so that the test's CPU solves them at once; the
/// service's clock is the test's, so deadlines are exact.
/// </summary>
public sealed class ProofOfWorkApiTests(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Marketplace:ProofOfWork:DecidesEligibility"] = "true",
        ["Marketplace:ProofOfWork:N"] = "64",
        ["Marketplace:ProofOfWork:K"] = "16",
    };

    /// <summary>A supplier with a registered H100 box and its device key, on a service that decides eligibility by proof of work.</summary>
    private sealed class Supplier(WebApplicationFactory<Program> factory, HttpClient http, Guid device, Keypair deviceKey) : IDisposable
    {
        public WebApplicationFactory<Program> Factory => factory;
        public HttpClient Http => http;
        public Guid Device => device;
        public Keypair DeviceKey => deviceKey;

        public void Dispose()
        {
            http.Dispose();
            deviceKey.Dispose();
        }
    }

    private async Task<Supplier> SupplierAsync()
    {
        var factory = app.Replica(Settings);
        using var wallet = Keypair.Generate();
        var http = MarketplaceApp.ClientOf(factory, await app.SignInAsync(wallet, MarketplaceApp.ClientOf(factory)));
        using var registered = await http.PostAsJsonAsync("/api/devices", DevicesApiTests.H100Box(), Ct);
        registered.StatusCode.ShouldBe(HttpStatusCode.Created);
        var device = (await registered.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var key = Keypair.Generate();
        using var set = await http.PutAsJsonAsync($"/api/proof-of-work/devices/{device}/key", new { publicKey = key.PublicKey.ToString() }, Ct);
        set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync(Ct));
        return new Supplier(factory, http, device, key);
    }

    private static async Task<ProofOfWorkChallenge> ChallengeAsync(Supplier s)
    {
        using var response = await s.Http.PostAsync($"/api/proof-of-work/devices/{s.Device}/challenges", null, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var c = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return new ProofOfWorkChallenge(
            c.GetProperty("id").GetGuid(), c.GetProperty("device").GetGuid(), Bytes32.ParseHex(c.GetProperty("seed").GetString()!),
            c.GetProperty("n").GetInt32(), c.GetProperty("k").GetInt32(), Bytes32.ParseHex(c.GetProperty("sampleCommitment").GetString()!),
            c.GetProperty("issuedAt").GetDateTimeOffset(), c.GetProperty("deadline").GetDateTimeOffset());
    }

    private static object CommitmentBody(ProofOfWorkCommitment c) =>
        new { challenge = c.Challenge, root = c.Root.ToHex(), elapsedMilliseconds = c.ElapsedMilliseconds, signature = c.Signature.ToString() };

    private static Task<HttpResponseMessage> CommitAsync(Supplier s, Guid challenge, ProofOfWorkCommitment c) =>
        s.Http.PostAsJsonAsync($"/api/proof-of-work/challenges/{challenge}/commitment", CommitmentBody(c), Ct);

    private static object OpeningBody(ProofOfWorkOpening o) => new
    {
        challenge = o.Challenge,
        rows = o.Rows.Select(r => new
        {
            index = r.Index,
            values = Convert.ToBase64String(MemoryMarshal.AsBytes(r.Values.AsSpan())),
            proof = r.Proof.Select(p => p.ToHex()).ToArray(),
        }).ToArray(),
    };

    /// <summary>Commits to <paramref name="product"/> (the honest one unless a test doctors it), opens the rows the salt selects; the opening's response.</summary>
    private static async Task<HttpResponseMessage> AnswerAsync(Supplier s, ProofOfWorkChallenge challenge, ProductMatrix? product = null)
    {
        var answer = ProofOfWorkAnswer.Prepare(product ?? new CpuMatrixSolver().Multiply(challenge.Seed, challenge.N, Ct));
        using var committed = await CommitAsync(s, challenge.Id, answer.Commit(challenge.Id, 12, s.DeviceKey));
        committed.StatusCode.ShouldBe(HttpStatusCode.OK, await committed.Content.ReadAsStringAsync(Ct));
        var accepted = await committed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var opening = answer.Open(challenge, Bytes32.ParseHex(accepted.GetProperty("salt").GetString()!));
        accepted.GetProperty("rows").EnumerateArray().Select(r => r.GetInt32()).ShouldBe(opening.Rows.Select(r => r.Index));
        return await s.Http.PostAsJsonAsync($"/api/proof-of-work/challenges/{challenge.Id}/opening", OpeningBody(opening), Ct);
    }

    private static async Task<JsonElement> EligibilityAsync(Supplier s) =>
        (await s.Http.GetFromJsonAsync<JsonElement>($"/api/devices/{s.Device}", Ct)).GetProperty("eligibility");

    private static async Task FailsAsync(HttpResponseMessage response, ProofOfWorkFailure failure) =>
        (await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("failure").GetString().ShouldBe(failure.ToString());

    [Fact]
    public async Task an_honest_device_is_verified_and_is_eligible_once_staked_until_its_proof_is_a_day_old()
    {
        using var s = await SupplierAsync();
        (await EligibilityAsync(s)).GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ShouldContain("No proof of work verified yet.");
        var challenge = await ChallengeAsync(s);
        challenge.N.ShouldBe(64);
        challenge.K.ShouldBe(16);

        using var opened = await AnswerAsync(s, challenge);

        opened.StatusCode.ShouldBe(HttpStatusCode.OK, await opened.Content.ReadAsStringAsync(Ct));
        (await opened.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("outcome").GetString().ShouldBe("Verified");
        var standing = await s.Http.GetFromJsonAsync<JsonElement>($"/api/proof-of-work/devices/{s.Device}", Ct);
        standing.GetProperty("lastOutcome").GetString().ShouldBe("Verified");
        standing.GetProperty("verified").GetInt32().ShouldBe(1);
        // Verified, but 8 × H100 needs 200 × 13.94 × 8 = 22,304 IO of stake.
        var unstaked = await EligibilityAsync(s);
        unstaked.GetProperty("eligible").GetBoolean().ShouldBeFalse();
        unstaked.GetProperty("reasons").EnumerateArray().Single().GetString()!.ShouldContain("2230400000000 required");

        // The stake as the Indexer records it: a StakeDeposited event in the transaction's stream.
        var store = s.Factory.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            var signature = $"stake-{s.Device:N}";
            session.Events.StartStream(signature, new IoNet.Ledger.Staking.StakeDeposited(
                signature, 1, null, "0", s.Device.ToString("N"), "staker", "io-mint", 22_304UL * 100_000_000, "stake-vault"));
            await session.SaveChangesAsync(Ct);
        }
        (await EligibilityAsync(s)).GetProperty("eligible").GetBoolean().ShouldBeTrue();

        // A day later (the clock is put back: later sign-ins must stay valid for JwtBearer's real clock).
        var dayLater = TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1);
        app.Clock.Advance(dayLater);
        JsonElement stale;
        try
        {
            stale = await EligibilityAsync(s);
        }
        finally
        {
            app.Clock.Advance(-dayLater);
        }
        stale.GetProperty("eligible").GetBoolean().ShouldBeFalse();
        stale.GetProperty("reasons").EnumerateArray().Single().GetString()!.ShouldContain("more than 24 h ago");
    }

    [Fact]
    public async Task a_wrong_product_fails_as_a_wrong_answer_and_the_challenge_is_over()
    {
        using var s = await SupplierAsync();
        var challenge = await ChallengeAsync(s);
        var honest = new CpuMatrixSolver().Multiply(challenge.Seed, challenge.N, Ct);
        var wrong = new ProductMatrix(challenge.N, [.. honest.Values.Select(v => (v + 1) % ProofOfWorkLimits.Prime)]);

        using var opened = await AnswerAsync(s, challenge, wrong);

        await FailsAsync(opened, ProofOfWorkFailure.WrongAnswer);
        var standing = await s.Http.GetFromJsonAsync<JsonElement>($"/api/proof-of-work/devices/{s.Device}", Ct);
        standing.GetProperty("lastOutcome").GetString().ShouldBe("WrongAnswer");
        standing.GetProperty("lastVerifiedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        using var again = await s.Http.PostAsJsonAsync($"/api/proof-of-work/challenges/{challenge.Id}/opening", new { challenge = challenge.Id, rows = Array.Empty<object>() }, Ct);
        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task an_old_proof_replayed_for_a_new_challenge_and_a_second_answer_fail_as_replays()
    {
        using var s = await SupplierAsync();
        var first = await ChallengeAsync(s);
        var answer = ProofOfWorkAnswer.Prepare(new CpuMatrixSolver().Multiply(first.Seed, first.N, Ct));
        var oldCommitment = answer.Commit(first.Id, 12, s.DeviceKey);
        using (var committed = await CommitAsync(s, first.Id, oldCommitment))
            committed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var second = await ChallengeAsync(s);

        using var replayed = await CommitAsync(s, second.Id, oldCommitment);
        using var twice = await CommitAsync(s, first.Id, oldCommitment);

        await FailsAsync(replayed, ProofOfWorkFailure.Replay);
        await FailsAsync(twice, ProofOfWorkFailure.Replay);
    }

    [Fact]
    public async Task a_commitment_signed_by_another_key_fails_as_a_bad_signature()
    {
        using var s = await SupplierAsync();
        var challenge = await ChallengeAsync(s);
        using var other = Keypair.Generate();
        var answer = ProofOfWorkAnswer.Prepare(new CpuMatrixSolver().Multiply(challenge.Seed, challenge.N, Ct));

        using var committed = await CommitAsync(s, challenge.Id, answer.Commit(challenge.Id, 12, other));

        await FailsAsync(committed, ProofOfWorkFailure.BadSignature);
    }

    [Fact]
    public async Task a_commitment_after_the_deadline_fails_as_a_timeout()
    {
        using var s = await SupplierAsync();
        var challenge = await ChallengeAsync(s);
        var answer = ProofOfWorkAnswer.Prepare(new CpuMatrixSolver().Multiply(challenge.Seed, challenge.N, Ct));
        app.Clock.Advance(challenge.Deadline - challenge.IssuedAt + TimeSpan.FromMilliseconds(1));

        using var committed = await CommitAsync(s, challenge.Id, answer.Commit(challenge.Id, 12, s.DeviceKey));

        await FailsAsync(committed, ProofOfWorkFailure.Timeout);
    }

    [Fact]
    public async Task rows_that_are_not_n_values_fail_as_a_bad_proof()
    {
        using var s = await SupplierAsync();
        var challenge = await ChallengeAsync(s);
        var answer = ProofOfWorkAnswer.Prepare(new CpuMatrixSolver().Multiply(challenge.Seed, challenge.N, Ct));
        using (var committed = await CommitAsync(s, challenge.Id, answer.Commit(challenge.Id, 12, s.DeviceKey)))
            committed.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var opened = await s.Http.PostAsJsonAsync($"/api/proof-of-work/challenges/{challenge.Id}/opening",
            new { challenge = challenge.Id, rows = new[] { new { index = 0, values = "AAAA", proof = Array.Empty<string>() } } }, Ct);

        await FailsAsync(opened, ProofOfWorkFailure.BadProof);
    }

    [Fact]
    public async Task only_the_owner_sets_the_key_and_a_device_without_a_key_is_not_challenged()
    {
        using var s = await SupplierAsync();
        using var stranger = Keypair.Generate();
        using var strangerHttp = MarketplaceApp.ClientOf(s.Factory, await app.SignInAsync(stranger, MarketplaceApp.ClientOf(s.Factory)));
        using var registered = await strangerHttp.PostAsJsonAsync("/api/devices", DevicesApiTests.H100Box(), Ct);
        var keyless = (await registered.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        using var setOther = await strangerHttp.PutAsJsonAsync($"/api/proof-of-work/devices/{s.Device}/key", new { publicKey = stranger.PublicKey.ToString() }, Ct);
        using var challengeOther = await strangerHttp.PostAsync($"/api/proof-of-work/devices/{s.Device}/challenges", null, Ct);
        using var challengeKeyless = await strangerHttp.PostAsync($"/api/proof-of-work/devices/{keyless}/challenges", null, Ct);
        using var badKey = await s.Http.PutAsJsonAsync($"/api/proof-of-work/devices/{s.Device}/key", new { publicKey = new string('0', 44) }, Ct);

        await setOther.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await challengeOther.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await challengeKeyless.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await badKey.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task a_device_that_commits_in_time_but_slower_than_its_model_is_verified_and_flagged()
    {
        using var s = await SupplierAsync();
        var challenge = await ChallengeAsync(s);
        // n = 64 on an H100 takes microseconds; the deadline is 1 s + the 3 s allowance. Commit after 3.5 s.
        (challenge.Deadline - challenge.IssuedAt).ShouldBe(TimeSpan.FromSeconds(4));
        app.Clock.Advance(TimeSpan.FromSeconds(3.5));

        using var opened = await AnswerAsync(s, challenge);

        opened.StatusCode.ShouldBe(HttpStatusCode.OK, await opened.Content.ReadAsStringAsync(Ct));
        var standing = await s.Http.GetFromJsonAsync<JsonElement>($"/api/proof-of-work/devices/{s.Device}", Ct);
        standing.GetProperty("lastSolveSeconds").GetDouble().ShouldBe(3.5);
        standing.GetProperty("anomalies").EnumerateArray().Single().GetString()!.ShouldStartWith("slower than its model: 3.5 s");
    }

    [Fact]
    public async Task failed_proofs_are_shown_as_an_anomaly()
    {
        using var s = await SupplierAsync();
        var challenge = await ChallengeAsync(s);
        using var other = Keypair.Generate();
        var answer = ProofOfWorkAnswer.Prepare(new CpuMatrixSolver().Multiply(challenge.Seed, challenge.N, Ct));
        using (var forged = await CommitAsync(s, challenge.Id, answer.Commit(challenge.Id, 12, other)))
            forged.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        var standing = await s.Http.GetFromJsonAsync<JsonElement>($"/api/proof-of-work/devices/{s.Device}", Ct);

        standing.GetProperty("anomalies").EnumerateArray().Single().GetString().ShouldBe("1 failed proof of work (last outcome: BadSignature)");
    }
}
