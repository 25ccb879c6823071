namespace IoNet.Solana;

/// <summary>
/// The one exception type the SDK throws for bad input (malformed bytes, bad base58, wrong lengths, unknown
/// versions, oversize transactions) and for RPC failures. Callers catch this and nothing else.
/// </summary>
public class SolanaException : Exception
{
    public SolanaException(string message) : base(message) { }

    public SolanaException(string message, Exception innerException) : base(message, innerException) { }
}
