namespace IoNet.Explorer.Reads;

/// <summary>Ids as the Ledger keys them: devices and rentals (clusters) are Guids written as 32 lower-case hex digits.</summary>
public static class Ids
{
    /// <summary>A Guid in any of its usual forms becomes the Ledger's form; anything else is left as it is.</summary>
    public static string Normalize(string id) => Guid.TryParse(id, out var guid) ? guid.ToString("N") : id;
}
