using System.Text.Json.Serialization;
using IoNet.Solana.Rpc.Json;

namespace IoNet.Solana.Rpc;

/// <summary>A transaction's version as the RPC names it: "legacy" or a number (0 for v0).</summary>
[JsonConverter(typeof(TransactionVersionConverter))]
public readonly record struct TransactionVersion(int? Number)
{
    public static TransactionVersion Legacy => new(null);

    public static TransactionVersion V0 => new(0);

    public bool IsLegacy => Number is null;

    public override string ToString() => Number is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "legacy";
}
