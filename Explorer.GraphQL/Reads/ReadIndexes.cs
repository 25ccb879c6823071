using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Tokens;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace IoNet.Explorer.Reads;

/// <summary>
/// The partial expression indexes on mt_events that the explorer's keyset pages use (chain order within each kind of
/// event, and per recipient, device, block, rental and buyer). Created once, idempotently, when the explorer starts
/// (<c>Explorer:EnsureIndexes</c>); they hold only the events of their kind, and no Ledger data is changed.
/// </summary>
public static class ReadIndexes
{
    public static IEnumerable<(string Name, string Sql)> Definitions(LedgerDb db)
    {

        string In(params Type[] types) => "type in (" + string.Join(", ", types.Select(t => $"'{db.Alias(t)}'")) + ")";
        const string order = EventReads.Slot + ", seq_id";
        var payouts = In(typeof(RewardPaid), typeof(RentalSettled));
        yield return ("ix_explorer_payouts", $"({order}) where {payouts}");
        yield return ("ix_explorer_payouts_recipient", $"(({PayoutReads.RecipientSql}), {order}) where {payouts}");
        yield return ("ix_explorer_device_events", $"((data->>'Device'), {order}) where {In(typeof(RewardPaid), typeof(StakeDeposited), typeof(StakeWithdrawn), typeof(StakeSlashed))}");
        yield return ("ix_explorer_reward_blocks", $"((data->>'Block'), {order}) where {In(typeof(RewardPaid))}");
        yield return ("ix_explorer_rental_events", $"((data->>'Rental'), {order}) where {In(typeof(RentalFunded), typeof(RentalSettled), typeof(RentalRefunded))}");
        yield return ("ix_explorer_burns", $"({order}) where {In(typeof(TokensBurned), typeof(FeesBurned), typeof(StakeSlashed))}");
        yield return ("ix_explorer_mints", $"({order}) where {In(typeof(TokensMinted))}");
        yield return ("ix_explorer_credits", $"({order}) where {In(typeof(CreditsPurchased))}");
        yield return ("ix_explorer_credit_requests", $"({order}) where {In(typeof(CreditsRequested))}");
        yield return ("ix_explorer_credits_burn", $"((data->>'BurnSignature')) where {In(typeof(CreditsPurchased))}");
        yield return ("ix_explorer_credits_buyer", $"((data->>'Buyer'), {order}) where {In(typeof(CreditsPurchased))}");
    }

    /// <summary>Creates the missing indexes; false (and a warning) where the event table is missing or DDL is not allowed.</summary>
    public static async Task<bool> EnsureAsync(LedgerDb db, ILogger logger, CancellationToken ct)
    {
        try
        {
            await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
            foreach (var (name, definition) in Definitions(db))
            {
                await using var command = new NpgsqlCommand($"create index if not exists {name} on {db.Table("mt_events")} {definition}", connection);
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            return true;
        }
        catch (PostgresException e)
        {
            logger.LogWarning("explorer read indexes not created ({Message}); reads stay correct but slower", e.MessageText);
            return false;
        }
    }
}
