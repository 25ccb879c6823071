using System.Text.Json;
using IoNet.Solana;
using IoNet.Solana.Keys;

namespace IoNet.Programs.Flows;

/// <summary>
/// The localnet's addresses.json as it is written (localnet/src/genesis.js): the network's accounts and, for the
/// authorities, the Solana CLI keypair files that sign for them (absent on a chain we only read).
/// </summary>
public sealed record IoNetAddressFile(IoNetAddresses Network, IReadOnlyDictionary<string, string> KeypairFiles)
{
    /// <summary>Names of the keypairs the file may list: the mint authorities and the vault authorities.</summary>
    public const string IoMintAuthority = "io-mint-authority", IosdMintAuthority = "iosd-mint-authority",
        UsdcMintAuthority = "usdc-mint-authority", Escrow = "escrow", Treasury = "treasury", Stake = "stake", Faucet = "faucet";

    /// <summary>The keypair file that signs for <paramref name="name"/>, or a clear error when the file lists none.</summary>
    public string KeypairFile(string name) =>
        KeypairFiles.TryGetValue(name, out var file) ? file
        : throw new SolanaException($"The address file names no keypair for '{name}': this service cannot sign for it.");

    public static IoNetAddressFile Load(string path)
    {
        if (!File.Exists(path))
            throw new SolanaException($"Address file {path} not found (start the localnet first, or pass --addresses FILE).");
        try
        {
            var root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
            var mints = root.GetProperty("mints");
            var authorities = root.GetProperty("authorities");
            MintInfo Mint(string name) => new(
                PublicKey.Parse(mints.GetProperty(name).GetProperty("address").GetString()!),
                mints.GetProperty(name).GetProperty("decimals").GetByte(),
                PublicKey.Parse(mints.GetProperty(name).GetProperty("tokenProgram").GetString()!));
            PublicKey Authority(string name) => PublicKey.Parse(authorities.GetProperty(name).GetProperty("address").GetString()!);
            var network = new IoNetAddresses(Mint("io"), Mint("iosd"), Mint("usdc"),
                PublicKey.Parse(mints.GetProperty("iosd").GetProperty("authority").GetProperty("address").GetString()!),
                Authority("escrow"), Authority("treasury"), Authority("stake"));

            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            void Keypair(string name, JsonElement entry)
            {
                if (entry.TryGetProperty("keypair", out var file) && file.ValueKind == JsonValueKind.String)
                    files[name] = Path.GetFullPath(file.GetString()!, Path.GetDirectoryName(Path.GetFullPath(path))!);
            }
            foreach (var mint in new[] { "io", "iosd", "usdc" })
                Keypair($"{mint}-mint-authority", mints.GetProperty(mint).GetProperty("authority"));
            foreach (var authority in authorities.EnumerateObject())
                Keypair(authority.Name, authority.Value);
            return new IoNetAddressFile(network, files);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new SolanaException($"Address file {path} is not localnet's addresses.json: {e.Message}", e);
        }
    }
}
