using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.Marketplace.Chain;

/// <summary>
/// Signs for one of the network's authorities (the escrow vault, the IOSD mint). Behind an interface so that a
/// deployment can keep the key in an HSM or a remote signer; on localnet it is the keypair file from addresses.json.
/// </summary>
public interface IAuthoritySigner
{
    PublicKey PublicKey { get; }

    Signature Sign(ReadOnlySpan<byte> message);
}

/// <summary>A Solana CLI keypair file (a JSON array of the 64-byte secret key).</summary>
public sealed class KeypairFileSigner(string path) : IAuthoritySigner, IDisposable
{
    private readonly Keypair _keypair = Keypair.Load(path);

    public PublicKey PublicKey => _keypair.PublicKey;

    public Signature Sign(ReadOnlySpan<byte> message) => _keypair.Sign(message);

    public void Dispose() => _keypair.Dispose();
}

public static class AuthoritySignerExtensions
{
    /// <summary>Adds <paramref name="signer"/>'s signature of the transaction's message (it must be a required signer).</summary>
    public static Transaction SignWith(this Transaction transaction, IAuthoritySigner signer) =>
        transaction.AddSignature(signer.PublicKey, signer.Sign(transaction.Message.Bytes));
}
