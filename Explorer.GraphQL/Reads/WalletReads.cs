using IoNet.Ledger.Wallets;

namespace IoNet.Explorer.Reads;

/// <summary>What one wallet did on the network (WalletSummary); its payouts, credits and burns are pages of <see cref="PayoutReads"/> and <see cref="SupplyReads"/>.</summary>
public sealed class WalletReads(LedgerDb db, DocumentReads documents)
{
    public Task<Dictionary<string, WalletSummary>> LoadManyAsync(IReadOnlyCollection<string> addresses, CancellationToken ct) =>
        documents.LoadManyAsync<WalletSummary>(db.DocumentTable<WalletSummary>(), addresses, ct);
}
