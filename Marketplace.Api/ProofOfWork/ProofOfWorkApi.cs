using System.Globalization;
using System.Security.Claims;
using IoNet.Ledger.Devices;
using IoNet.Marketplace.Devices;
using IoNet.Marketplace.Http;
using IoNet.Solana.Keys;
using IoNet.Suppliers;
using IoNet.Suppliers.ProofOfWork;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IoNet.Marketplace.ProofOfWork;

/// <summary>
/// The proof-of-work exchange over HTTP (docs/proof-of-work.md): the owner sets its device's key and asks for a
/// challenge; the device (no sign-in: its key signs the commitment) commits, receives the salt, opens the sampled rows
/// and gets the outcome. Every outcome is kept on the challenge and on the device's standing.
/// </summary>
public static class ProofOfWorkApi
{
    public const string OpeningPathSuffix = "/opening";
    public const string ChallengesPath = "/api/proof-of-work/challenges";

    public static IEndpointRouteBuilder MapProofOfWork(this IEndpointRouteBuilder app)
    {
        var devices = app.MapGroup("/api/proof-of-work/devices").WithTags("Proof of work");
        devices.MapPut("/{id}/key", SetKey).RequireAuthorization(WalletPrincipal.WalletPolicy)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Sets the ed25519 key that signs the device's proof-of-work commitments (the owner only)");
        devices.MapPost("/{id}/challenges", Issue).RequireAuthorization(WalletPrincipal.WalletPolicy).WithIdempotencyKey()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Issues a challenge to the device (its owner or an operator asks)");
        devices.MapGet("/{id}/challenges", OpenChallenges).AllowAnonymous()
            .WithSummary("The device's open challenges (its worker polls them: challenges also come at random while it is hired)");
        devices.MapGet("/{id}", Standing).AllowAnonymous()
            .WithSummary("The device's proof-of-work standing: key, last verified proof, last outcome");

        var challenges = app.MapGroup(ChallengesPath).WithTags("Proof of work").AllowAnonymous();
        challenges.MapPost("/{id}/commitment", Commit)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("The device's signed Merkle root of C; answers the salt that selects the rows to open");
        challenges.MapPost("/{id}" + OpeningPathSuffix, Open)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("The sampled rows with their Merkle proofs; answers Verified or why not");
        return app;
    }

    public sealed record Services(
        IDocumentStore Store, HardwareCatalogue Catalogue, ProofOfWorkSettings Settings, MarketplaceSettings Marketplace, TimeProvider Clock);

    private static async Task<Results<Ok<DeviceProofOfWorkView>, ProblemHttpResult, ValidationProblem>> SetKey(
        Guid id, SetDeviceKeyRequest request, ClaimsPrincipal user, [AsParameters] Services s, CancellationToken ct)
    {
        if (!PublicKey.TryParse(request.PublicKey, out var key))
            return ApiProblems.Invalid("PublicKey", "The PublicKey field must be a base58 ed25519 public key.");
        await using var session = s.Store.LightweightSession();
        var device = await session.LoadAsync<Device>(Device.StreamKey(id), ct);
        if (device is null)
            return ApiProblems.NotFound($"No device {id} is registered.");
        if (device.Owner != user.RequireWallet())
            return ApiProblems.Forbidden($"Device {id} belongs to another wallet.");
        var standing = await session.LoadAsync<DeviceProofOfWork>(DeviceProofOfWork.Key(id), ct)
            ?? new DeviceProofOfWork { Id = DeviceProofOfWork.Key(id), Device = id };
        standing.DeviceKey = key.ToString();
        session.Store(standing);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(DeviceProofOfWorkView.Of(id, standing));
    }

    private static async Task<Results<Created<ChallengeView>, ProblemHttpResult>> Issue(
        Guid id, ClaimsPrincipal user, [AsParameters] Services s, CancellationToken ct)
    {
        await using var session = s.Store.LightweightSession();
        var device = await session.LoadAsync<Device>(Device.StreamKey(id), ct);
        if (device is null)
            return ApiProblems.NotFound($"No device {id} is registered.");
        var wallet = user.RequireWallet();
        if (device.Owner != wallet && !s.Marketplace.OperatorWallets.Contains(wallet))
            return ApiProblems.Forbidden($"Device {id} belongs to another wallet.");
        if (device.Status is DeviceStatus.Blocked or DeviceStatus.Unsupported)
            return ApiProblems.Conflict($"Device {id} is {device.Status}: it is not challenged.");
        var standing = await session.LoadAsync<DeviceProofOfWork>(DeviceProofOfWork.Key(id), ct);
        if (standing?.DeviceKey is not { } deviceKey)
            return ApiProblems.Conflict($"Device {id} has no key yet: PUT /api/proof-of-work/devices/{id}/key first.");

        var (challenge, record) = NewChallenge(device, deviceKey, s.Catalogue, s.Settings, s.Clock.GetUtcNow());
        session.Store(record);
        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"{ChallengesPath}/{challenge.Id}", ViewOf(challenge));
    }

    /// <summary>A new challenge for <paramref name="device"/>, sized for its model, and the record the server keeps of it.</summary>
    internal static (ProofOfWorkChallenge Challenge, ProofOfWorkChallengeRecord Record) NewChallenge(
        Device device, string deviceKey, HardwareCatalogue catalogue, ProofOfWorkSettings settings, DateTimeOffset now)
    {
        var (n, rate, timeLimit) = Size(device, catalogue, settings);
        var (challenge, salt) = ProofOfWorkChallenge.IssueRandom(device.DeviceId, n, Math.Min(settings.K, n), now, timeLimit);
        return (challenge, new ProofOfWorkChallengeRecord
        {
            Id = ProofOfWorkChallengeRecord.Key(challenge.Id), Challenge = challenge.Id, Device = device.DeviceId, DeviceKey = deviceKey,
            Seed = challenge.Seed.ToHex(), Salt = salt.ToHex(), SampleCommitment = challenge.SampleCommitment.ToHex(),
            N = challenge.N, K = challenge.K, IssuedAt = challenge.IssuedAt, Deadline = challenge.Deadline,
            ExpectedComputeSeconds = (double)n * n * n / (rate * 1e9),
        });
    }

    /// <summary>The device's open challenges (no outcome, deadline ahead): what its worker answers, oldest first.</summary>
    private static async Task<Ok<IReadOnlyList<ChallengeView>>> OpenChallenges(Guid id, [AsParameters] Services s, CancellationToken ct)
    {
        var now = s.Clock.GetUtcNow();
        await using var session = s.Store.QuerySession();
        var open = await session.Query<ProofOfWorkChallengeRecord>()
            .Where(r => r.Device == id && r.Outcome == null && r.Deadline > now).OrderBy(r => r.IssuedAt).Take(20).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<ChallengeView>>(open.Select(r => ViewOf(ChallengeOf(r))).ToList());
    }

    private static async Task<Ok<DeviceProofOfWorkView>> Standing(Guid id, [AsParameters] Services s, CancellationToken ct)
    {
        await using var session = s.Store.QuerySession();
        return TypedResults.Ok(DeviceProofOfWorkView.Of(id, await session.LoadAsync<DeviceProofOfWork>(DeviceProofOfWork.Key(id), ct)));
    }

    private static async Task<Results<Ok<CommitmentAccepted>, ProblemHttpResult, ValidationProblem>> Commit(
        Guid id, CommitmentRequest request, [AsParameters] Services s, CancellationToken ct)
    {
        if (!Signature.TryParse(request.Signature, out var signature))
            return ApiProblems.Invalid("Signature", "The Signature field must be a base58 ed25519 signature.");
        var now = s.Clock.GetUtcNow();
        await using var session = s.Store.LightweightSession();
        var record = await session.LoadAsync<ProofOfWorkChallengeRecord>(ProofOfWorkChallengeRecord.Key(id), ct);
        if (record is null)
            return ApiProblems.NotFound($"No challenge {id} was issued.");
        var challenge = ChallengeOf(record);
        var answered = record.CommittedAt is not null || record.Outcome is not null;
        var commitment = new ProofOfWorkCommitment(request.Challenge!.Value, Bytes32.ParseHex(request.Root!), (ulong)request.ElapsedMilliseconds!.Value, signature);
        if (ProofOfWorkVerifier.CheckCommitment(challenge, answered, commitment, PublicKey.Parse(record.DeviceKey), now) is { } failure)
        {
            if (!answered)
            {
                try
                {
                    await CompleteAsync(session, record, failure, now, ct);
                }
                catch (Exception e) when (IsConcurrencyConflict(e))
                {
                    // Another answer was stored meanwhile: this one stays refused, that one keeps its outcome.
                }
            }
            return Failed(record, failure);
        }

        record.CommittedAt = now;
        record.Root = commitment.Root.ToHex();
        record.ElapsedMilliseconds = commitment.ElapsedMilliseconds;
        record.Signature = signature.ToString();
        session.Store(record);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (IsConcurrencyConflict(e))
        {
            return Failed(record, ProofOfWorkOutcome.Failed(ProofOfWorkFailure.Replay, $"challenge {id:N} was already answered"));
        }
        var salt = Bytes32.ParseHex(record.Salt);
        return TypedResults.Ok(new CommitmentAccepted(id, salt.ToHex(), RowSampling.Indices(id, commitment.Root, salt, record.N, record.K)));
    }

    private static async Task<Results<Ok<OutcomeView>, ProblemHttpResult>> Open(
        Guid id, OpeningRequest request, [AsParameters] Services s, CancellationToken ct)
    {
        var now = s.Clock.GetUtcNow();
        await using var session = s.Store.LightweightSession();
        var record = await session.LoadAsync<ProofOfWorkChallengeRecord>(ProofOfWorkChallengeRecord.Key(id), ct);
        if (record is null)
            return ApiProblems.NotFound($"No challenge {id} was issued.");
        if (record.Outcome is not null)
            return ApiProblems.Conflict($"Challenge {id:N} is over: {record.Outcome} ({record.Detail}).");
        if (record.CommittedAt is not { } committedAt)
            return ApiProblems.Conflict($"Challenge {id:N} has no accepted commitment: POST {ChallengesPath}/{id}/commitment first.");

        var commitment = new ProofOfWorkCommitment(id, Bytes32.ParseHex(record.Root!), record.ElapsedMilliseconds!.Value, Signature.Parse(record.Signature!));
        var outcome = Decode(request, record.N) is { } opening
            ? await Task.Run(() => ProofOfWorkVerifier.CheckOpening(
                ChallengeOf(record), Bytes32.ParseHex(record.Salt), commitment, committedAt, opening, now), ct)
            : ProofOfWorkOutcome.Failed(ProofOfWorkFailure.BadProof, "the rows are not n little-endian u32 values in base64 with 64-hex-digit proofs");
        try
        {
            await CompleteAsync(session, record, outcome, now, ct);
        }
        catch (Exception e) when (IsConcurrencyConflict(e))
        {
            return ApiProblems.Conflict($"Challenge {id:N} was completed by another request.");
        }
        return outcome.IsVerified
            ? TypedResults.Ok(new OutcomeView(id, record.Device, "Verified", outcome.Detail, now))
            : Failed(record, outcome);
    }

    /// <summary>Closes the challenge with its outcome and updates the device's standing, in one transaction.</summary>
    internal static async Task CompleteAsync(IDocumentSession session, ProofOfWorkChallengeRecord record, ProofOfWorkOutcome outcome, DateTimeOffset now, CancellationToken ct)
    {
        record.Outcome = outcome.Failure?.ToString() ?? "Verified";
        record.Detail = outcome.Detail;
        record.CompletedAt = now;
        session.Store(record);
        var standing = await session.LoadAsync<DeviceProofOfWork>(DeviceProofOfWork.Key(record.Device), ct)
            ?? new DeviceProofOfWork { Id = DeviceProofOfWork.Key(record.Device), Device = record.Device };
        standing.LastChallenge = record.Challenge;
        standing.LastOutcome = record.Outcome;
        standing.LastDetail = record.Detail;
        standing.LastOutcomeAt = now;
        if (outcome.IsVerified)
        {
            standing.LastVerifiedAt = now;
            standing.Verified++;
            var solve = (record.CommittedAt!.Value - record.IssuedAt).TotalSeconds;
            standing.LastSolveSeconds = solve;
            standing.SlowerThanModel = solve > record.ExpectedComputeSeconds + ProofOfWorkDeadline.Allowance.TotalSeconds;
            standing.SlowDetail = standing.SlowerThanModel
                ? string.Create(CultureInfo.InvariantCulture,
                    $"slower than its model: {solve:F1} s to commit an n = {record.N} product its model computes in {record.ExpectedComputeSeconds:F2} s (+ {ProofOfWorkDeadline.Allowance.TotalSeconds:F0} s allowance)")
                : null;
        }
        else
        {
            standing.Failed++;
        }
        session.Store(standing);
        await session.SaveChangesAsync(ct);
    }

    // Marten reports a version conflict on a document as JasperFx's ConcurrencyException (several at once: an AggregateException of them).
    private static bool IsConcurrencyConflict(Exception e) =>
        e is JasperFx.ConcurrencyException || (e is AggregateException a && a.InnerExceptions.All(IsConcurrencyConflict));

    private static ProblemHttpResult Failed(ProofOfWorkChallengeRecord record, ProofOfWorkOutcome failure) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Proof of work failed",
            Detail = $"Challenge {record.Challenge:N} failed ({failure.Failure}): {failure.Detail}.",
            Extensions = { ["failure"] = failure.Failure?.ToString(), ["challenge"] = record.Challenge },
        });

    private static ProofOfWorkOpening? Decode(OpeningRequest request, int n)
    {
        var rows = new List<OpenedRow>(request.Rows!.Length);
        foreach (var row in request.Rows)
        {
            if (row.Index is not { } index || row.Values is null || row.Proof is null)
                return null;
            var bytes = new byte[(row.Values.Length + 3) / 4 * 3];
            if (!Convert.TryFromBase64String(row.Values, bytes, out var written) || written != 4 * n)
                return null;
            var values = new uint[n];
            for (var i = 0; i < n; i++)
                values[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4 * i));
            var proof = new Bytes32[row.Proof.Length];
            for (var i = 0; i < proof.Length; i++)
            {
                if (!Bytes32.TryParseHex(row.Proof[i], out proof[i]))
                    return null;
            }
            rows.Add(new OpenedRow(index, values, proof));
        }
        return new ProofOfWorkOpening(request.Challenge!.Value, rows);
    }

    private static (int N, long Rate, TimeSpan TimeLimit) Size(Device device, HardwareCatalogue catalogue, ProofOfWorkSettings settings)
    {
        var rates = ProofOfWorkRates.Default;
        var gpu = device.GpuModel is { } model ? catalogue.Gpu(model) : null;
        var n = settings.N ?? gpu?.ProofOfWorkN ?? rates.CpuN;
        var rate = gpu is not null
            ? rates.GpuGigaMacsPerSecond(gpu.Id) ?? 1
            : rates.CpuGigaMacsPerSecond(catalogue.Cpu(device.CpuClass)?.Threads ?? 1);
        return (n, rate, settings.TimeLimit ?? ProofOfWorkDeadline.For(n, rate));
    }

    private static ProofOfWorkChallenge ChallengeOf(ProofOfWorkChallengeRecord r) =>
        new(r.Challenge, r.Device, Bytes32.ParseHex(r.Seed), r.N, r.K, Bytes32.ParseHex(r.SampleCommitment), r.IssuedAt, r.Deadline);

    private static ChallengeView ViewOf(ProofOfWorkChallenge c) =>
        new(c.Id, c.Device, c.Seed.ToHex(), c.N, c.K, c.SampleCommitment.ToHex(), c.IssuedAt, c.Deadline);
}
