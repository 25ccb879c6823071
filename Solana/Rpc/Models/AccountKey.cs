using System.Text.Json.Serialization;
using IoNet.Solana.Rpc.Json;

namespace IoNet.Solana.Rpc;

/// <summary>An account key: a bare address (json) or an object with its roles (jsonParsed).</summary>
[JsonConverter(typeof(AccountKeyConverter))]
public sealed record AccountKey(string Pubkey)
{
    /// <summary>Null when the wire gave only the address.</summary>
    public bool? Signer { get; set; }

    public bool? Writable { get; set; }

    /// <summary>"transaction" or "lookupTable"; null on older nodes and in json encoding.</summary>
    public string? Source { get; set; }
}
