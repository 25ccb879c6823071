using IoNet.Ledger.Tokens;
using IoNet.Marketplace.Chain;
using IoNet.Programs.Flows;
using IoNet.Solana.Keys;
using Marten;

namespace IoNet.Marketplace.Credits;

/// <summary>
/// The outbox operation of a credit purchase: MintCredits for exactly one burn, signed by the IOSD mint authority
/// (fee payer too). Work already done is a CreditsPurchased in the Ledger naming that burn, whoever minted it.
/// </summary>
public sealed class CreditsMint(ChainAccess chain, IDocumentStore store) : IOutboxOperation
{
    public string Kind => CreditsStore.Kind;

    public OutboxTransaction Build(OutboxIntent intent)
    {
        var p = Payload(intent);
        var network = chain.Network;
        var authority = chain.IosdMintAuthority;
        return new OutboxTransaction(authority, IoNetFlows.MintCredits(
            authority.PublicKey, network.Iosd, PublicKey.Parse(p.Buyer), Signature.Parse(p.BurnSignature), p.IoBurned, p.RateMicroUsd, network.Io.Decimals));
    }

    public async Task<string?> FindInLedgerAsync(OutboxIntent intent, CancellationToken cancellationToken)
    {
        var burn = Payload(intent).BurnSignature;
        await using var session = store.QuerySession();
        var purchase = await session.Events.QueryRawEventDataOnly<CreditsPurchased>()
            .Where(p => p.BurnSignature == burn).FirstOrDefaultAsync(cancellationToken);
        return purchase?.Signature;
    }

    private static CreditsMintPayload Payload(OutboxIntent intent) => intent.PayloadAs<CreditsMintPayload>();
}
