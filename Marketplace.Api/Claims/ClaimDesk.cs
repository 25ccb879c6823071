using IoNet.Marketplace.Chain;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;

namespace IoNet.Marketplace.Claims;

/// <summary>The answer to a claim request: the transaction (base64, the wallet's signature empty) and what it does.</summary>
public sealed record ClaimAnswer(SupplierClaim Claim, string Transaction, string Message, bool Repeated);

/// <summary>Why a claim request gets no transaction.</summary>
public sealed class NothingToClaimException(string message) : Exception(message);

/// <summary>
/// Answers claim requests (Solana Pay transaction requests of a wallet for its accrued earnings). Under the wallet's
/// lock, in one PostgreSQL transaction: ask the chain about each pending claim, release those that can never land,
/// then decide (<see cref="ClaimDecisions"/>) and store a new claim before its transaction is handed out.
/// </summary>
public sealed class ClaimDesk(ClaimsStore store, ChainAccess chain, TimeProvider clock, ILogger<ClaimDesk> log)
{
    public async Task<ClaimAnswer> ClaimAsync(PublicKey wallet, CancellationToken cancellationToken)
    {
        var address = wallet.ToString();
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ClaimsStore.LockWalletAsync(connection, transaction, address, cancellationToken);
        var pending = await store.PendingClaimsAsync(connection, transaction, address, cancellationToken);
        var fates = new List<(SupplierClaim, ClaimFate)>(pending.Count);
        foreach (var claim in pending)
            fates.Add((claim, await FateAsync(claim, cancellationToken)));
        var unpaid = await store.UnpaidAsync(connection, transaction, address, cancellationToken);
        var outcome = ClaimDecisions.Decide(fates, unpaid);
        var now = clock.GetUtcNow();
        foreach (var released in outcome.Release)
        {
            await store.ReleaseAsync(connection, transaction, released, "its blockhash expired without it landing", now, cancellationToken);
            log.LogInformation("Claim {Claim} of {Wallet} expired unlanded: its earnings are free again", released, address);
        }
        ClaimAnswer answer;
        switch (outcome)
        {
            case ClaimOutcome.Build build:
                answer = await BuildAsync(connection, transaction, wallet, build.Earnings, now, cancellationToken);
                break;
            case ClaimOutcome.Repeat repeat:
                answer = new ClaimAnswer(repeat.Claim, Convert.ToBase64String(repeat.Claim.Transaction), repeat.Claim.Message, true);
                break;
            case ClaimOutcome.Confirming confirming:
                await transaction.CommitAsync(cancellationToken);
                throw new NothingToClaimException(
                    $"Claim {confirming.Claim.Id:N} landed and is being confirmed; every earning of {address} is in it: nothing more to claim.");
            default:
                await transaction.CommitAsync(cancellationToken);
                throw new NothingToClaimException($"{address} has no unpaid earnings to claim.");
        }
        await transaction.CommitAsync(cancellationToken);
        return answer;
    }

    private async Task<ClaimAnswer> BuildAsync(
        Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, PublicKey wallet, IReadOnlyList<AccruedEarning> free, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var network = chain.Network;
        var latest = (await chain.Rpc.GetLatestBlockhashAsync(Commitment.Finalized, cancellationToken)).Value;
        var id = Guid.NewGuid();
        var (built, paid) = ClaimTransactions.Build(wallet, chain.EscrowAuthority, network, id, free, Blockhash.Parse(latest.Blockhash));
        var message = ClaimTransactions.Message(network, paid, free.Count - paid.Count);
        var bytes = built.Serialize(requireAllSignatures: false);
        var claim = new SupplierClaim(id, wallet.ToString(), ClaimTransactions.Reference(id).ToString(), bytes, latest.Blockhash,
            latest.LastValidBlockHeight, message, ClaimState.Pending, now, null, null, null, null);
        await store.InsertAsync(connection, transaction, claim, paid, cancellationToken);
        log.LogInformation("Claim {Claim} of {Wallet}: {Count} earnings, valid to block height {Height}", id, claim.Wallet, paid.Count, latest.LastValidBlockHeight);
        return new ClaimAnswer(claim, Convert.ToBase64String(bytes), message, false);
    }

    /// <summary>
    /// What the chain says about a pending claim. The block height is read before the claim's reference is looked up:
    /// a transaction that lands between the two reads is seen, so CannotLand is never said of one that landed.
    /// </summary>
    public async Task<ClaimFate> FateAsync(SupplierClaim claim, CancellationToken cancellationToken)
    {
        var height = await chain.Rpc.GetBlockHeightAsync(Commitment.Finalized, cancellationToken);
        var found = await chain.Rpc.GetSignaturesForAddressAsync(claim.Reference,
            new SignaturesForAddressOptions { Limit = 20, Commitment = Commitment.Finalized }, cancellationToken);
        if (found.Any(s => s.Err is null))
            return ClaimFate.Landed;
        return height > claim.LastValidBlockHeight ? ClaimFate.CannotLand : ClaimFate.Live;
    }
}
