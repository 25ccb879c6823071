namespace IoNet.Ledger.Chain;

/// <summary>
/// Where an event happened on chain: the transaction's signature, its slot and block time, and the instruction
/// path inside it ("2" = third top-level instruction, "2.1" = its second inner instruction).
/// </summary>
public interface IChainEvent
{
    string Signature { get; }
    ulong Slot { get; }
    long? BlockTime { get; }
    string Path { get; }
}
