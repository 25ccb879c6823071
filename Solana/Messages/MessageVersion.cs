namespace IoNet.Solana.Messages;

/// <summary>The wire format of a message: legacy (no prefix) or versioned (prefix 0x80 | version).</summary>
public enum MessageVersion
{
    Legacy = -1,
    V0 = 0,
}
