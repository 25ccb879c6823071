using IoNet.Ledger.Chain;

namespace IoNet.Ledger.Rewards;

/// <summary>The rewards treasury (token account <paramref name="Vault"/>) paid a worker for a device in a reward block (memo ionet:v1:reward:&lt;block&gt;:&lt;device&gt;).</summary>
public sealed record RewardPaid(
    string Signature, ulong Slot, long? BlockTime, string Path,
    ulong Block, string Device, string Worker, string Mint, ulong Amount, string Vault) : IChainEvent;
