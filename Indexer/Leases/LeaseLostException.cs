namespace IoNet.Indexer.Leases;

/// <summary>
/// An append refused by the lease fence (<see cref="SourceLeases.AssertHeldSql"/>): <see cref="Holder"/> no longer
/// holds <see cref="SourceName"/>, another process does. Nothing of the append was written. Both writers throw it, and
/// only it means a lost lease; every other database failure is just a failed pass.
/// </summary>
public sealed class LeaseLostException(string source, string holder, Exception inner)
    : Exception($"{holder} no longer holds the lease on {source}: the append was refused", inner)
{
    public string SourceName { get; } = source;

    public string Holder { get; } = holder;
}
