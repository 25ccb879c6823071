using UUIDNext;

namespace IoNet.Ledger.Chain;

/// <summary>
/// Deterministic event ids: UUIDv5 of (signature, instruction path, event kind). The same transaction decoded twice
/// yields the same ids, so Marten's unique index on event id makes a replay store nothing twice.
/// </summary>
public static class EventIds
{
    /// <summary>The namespace of IoNet's chain event ids (a fixed random UUID; never change it).</summary>
    public static readonly Guid Namespace = new("0b8f2f5e-3c1d-4a59-9e58-6f1e7d2c9a41");

    public static Guid For(string signature, string path, string kind) =>
        Uuid.NewNameBased(Namespace, $"{signature}/{path}/{kind}");

    public static Guid For(IChainEvent e) => For(e.Signature, e.Path, e.GetType().Name);
}
