namespace IoNet.Solana.Messages;

/// <summary>
/// How the static account keys divide: the first <see cref="NumRequiredSignatures"/> sign (the last
/// <see cref="NumReadonlySignedAccounts"/> of them read-only), and the last <see cref="NumReadonlyUnsignedAccounts"/>
/// of the rest are read-only.
/// </summary>
public readonly record struct MessageHeader(byte NumRequiredSignatures, byte NumReadonlySignedAccounts, byte NumReadonlyUnsignedAccounts);
