using IoNet.Solana;

namespace IoNet.Programs.Anchor;

/// <summary>
/// Every failure of the Anchor coder: a malformed or unsupported IDL, bytes that are not valid Borsh for the type,
/// an unknown discriminator, a value that does not fit its IDL type when encoding. Nothing else escapes the coder.
/// </summary>
public sealed class AnchorCoderException : SolanaException
{
    public AnchorCoderException(string message) : base(message) { }

    public AnchorCoderException(string message, Exception innerException) : base(message, innerException) { }
}
