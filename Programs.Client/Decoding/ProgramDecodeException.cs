namespace IoNet.Programs.Decoding;

/// <summary>Instruction data or accounts that do not fit the program's layout.</summary>
public sealed class ProgramDecodeException(string message) : IoNet.Solana.SolanaException(message);
