using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IoNet.Marketplace.Chain;
using IoNet.Programs.Flows;
using IoNet.Programs.SolanaPay;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.Marketplace.Claims;

/// <summary>
/// The claim transaction: per earning the settlement payout of its rental (IoNetFlows.SettleRental to the wallet, memo
/// ionet:v1:settle:&lt;rental&gt;, the rental's reference), so the indexer records each as the RentalSettled it is; the
/// token account is created once per mint; the claim's reference key on the first transfer. Fee payer: the wallet.
/// </summary>
public static class ClaimTransactions
{
    /// <summary>Earnings one claim pays at most (the 1,232-byte packet usually stops it earlier).</summary>
    public const int MaxEarningsPerClaim = 12;

    /// <summary>The claim's reference key: sha256("ionet:v1:claim:" + id as 32 hex digits), like the rentals' references.</summary>
    public static PublicKey Reference(Guid claim) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes("ionet:v1:claim:" + claim.ToString("N"))));

    /// <summary>
    /// The transaction paying as many of <paramref name="earnings"/> (in order) as fit one legacy transaction, signed by
    /// the escrow authority, with the wallet's signature left empty; and the earnings it pays.
    /// </summary>
    public static (Transaction Transaction, IReadOnlyList<AccruedEarning> Paid) Build(
        PublicKey wallet, IAuthoritySigner escrow, IoNetAddresses network, Guid claim, IReadOnlyList<AccruedEarning> earnings, Blockhash blockhash)
    {
        Transaction? built = null;
        var count = 0;
        for (var n = 1; n <= Math.Min(earnings.Count, MaxEarningsPerClaim); n++)
        {
            var message = MessageCompiler.CompileLegacy(wallet, Instructions(wallet, escrow.PublicKey, network, claim, earnings.Take(n).ToList()), blockhash);
            var candidate = new Transaction(message);
            if (candidate.SerializedLength > Transaction.PacketDataSize)
                break;
            (built, count) = (candidate, n);
        }
        if (built is null)
            throw new InvalidOperationException($"A claim of {earnings.Count} earnings does not fit a transaction.");
        return (built.SignWith(escrow), earnings.Take(count).ToList());
    }

    /// <summary>The claim's instructions: SettleRental per earning (one token account creation per mint) and the reference.</summary>
    public static IReadOnlyList<TransactionInstruction> Instructions(
        PublicKey wallet, PublicKey escrow, IoNetAddresses network, Guid claim, IReadOnlyList<AccruedEarning> earnings)
    {
        var instructions = new List<TransactionInstruction>();
        var accountsCreated = new HashSet<PublicKey>();
        var referenced = false;
        foreach (var earning in earnings)
        {
            if (earning.Wallet != wallet.ToString())
                throw new InvalidOperationException($"Earning of rental {earning.Rental:N} belongs to {earning.Wallet}, not {wallet}.");
            var mint = network.MintOf(PublicKey.Parse(earning.Mint)) ?? throw new InvalidOperationException($"{earning.Mint} is not a mint of this network.");
            // SettleRental for one payout and no refund: create the wallet's token account, the settle memo, the transfer.
            var flow = IoNetFlows.SettleRental(escrow, mint, earning.Rental, [(wallet, earning.Amount)], wallet, 0);
            if (flow.Length != 3)
                throw new InvalidOperationException($"SettleRental of one payout has {flow.Length} instructions, not 3.");
            if (accountsCreated.Add(mint.Address))
                instructions.Add(flow[0]);
            instructions.Add(flow[1]);
            var transfer = flow[2];
            if (!referenced)
            {
                // Solana Pay's way to find a transaction it did not sign: a read-only key after the transfer's accounts.
                transfer = transfer with { Accounts = [.. transfer.Accounts, AccountMeta.ReadOnly(Reference(claim))] };
                referenced = true;
            }
            instructions.Add(transfer);
        }
        return instructions;
    }

    /// <summary>What the wallet shows: the amounts per currency and how many rentals they come from.</summary>
    public static string Message(IoNetAddresses network, IReadOnlyList<AccruedEarning> paid, int left)
    {
        var amounts = paid.GroupBy(e => e.Mint, StringComparer.Ordinal).Select(g =>
        {
            var mint = network.MintOf(PublicKey.Parse(g.Key))!;
            var total = g.Aggregate(0UL, (sum, e) => checked(sum + e.Amount));
            return $"{TokenAmount.Format(total, mint.Decimals)} {Symbol(network, mint)}";
        });
        var rentals = paid.Select(e => e.Rental).Distinct().Count();
        var text = $"Claim {string.Join(" + ", amounts)} of earnings from {rentals.ToString(CultureInfo.InvariantCulture)} rental{(rentals == 1 ? "" : "s")}";
        return left > 0 ? $"{text} ({left.ToString(CultureInfo.InvariantCulture)} more earnings: claim again for them)" : text;
    }

    public static string Symbol(IoNetAddresses network, MintInfo mint) =>
        mint == network.Io ? "IO" : mint == network.Iosd ? "IOSD" : mint == network.Usdc ? "USDC" : mint.Address.ToString();
}
