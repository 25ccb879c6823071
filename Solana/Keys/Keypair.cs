using System.Text.Json;
using NSec.Cryptography;
using NSecKey = NSec.Cryptography.Key;
using NSecPublicKey = NSec.Cryptography.PublicKey;

namespace IoNet.Solana.Keys;

/// <summary>
/// An ed25519 keypair. Solana's 64-byte secret key is the 32-byte seed followed by the 32-byte public key; the
/// Solana CLI stores it as a JSON array of those 64 numbers.
/// </summary>
public sealed class Keypair : IDisposable
{
    public const int SeedLength = 32;
    public const int SecretKeyLength = 64;

    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    private readonly NSecKey _key;
    private readonly byte[] _seed;

    private Keypair(NSecKey key, byte[] seed)
    {
        _key = key;
        _seed = seed;
        PublicKey = new PublicKey(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public PublicKey PublicKey { get; }

    public static Keypair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
            throw new SolanaException($"An ed25519 seed is {SeedLength} bytes, not {seed.Length}.");
        return new Keypair(NSecKey.Import(Ed25519, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }), seed.ToArray());
    }

    /// <summary>From Solana's 64-byte secret key (seed + public key); the public half must match the seed.</summary>
    public static Keypair FromSecretKey(ReadOnlySpan<byte> secretKey)
    {
        if (secretKey.Length != SecretKeyLength)
            throw new SolanaException($"A Solana secret key is {SecretKeyLength} bytes, not {secretKey.Length}.");
        var keypair = FromSeed(secretKey[..SeedLength]);
        if (!keypair.PublicKey.Bytes.SequenceEqual(secretKey[SeedLength..]))
        {
            keypair.Dispose();
            throw new SolanaException("The secret key's public half does not belong to its seed.");
        }
        return keypair;
    }

    public static Keypair Generate() => FromSeed(System.Security.Cryptography.RandomNumberGenerator.GetBytes(SeedLength));

    /// <summary>Reads a Solana CLI keypair file (a JSON array of 64 numbers 0..255).</summary>
    public static Keypair Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SolanaException($"Cannot read keypair file {path}: {e.Message}", e);
        }
        return FromJson(text, path);
    }

    public static Keypair FromJson(string json, string source = "keypair JSON")
    {
        int[]? numbers;
        try
        {
            numbers = JsonSerializer.Deserialize(json, KeypairJsonContext.Default.Int32Array);
        }
        catch (JsonException e)
        {
            throw new SolanaException($"{source} is not a Solana keypair (a JSON array of 64 numbers): {e.Message}", e);
        }
        if (numbers is null || numbers.Length != SecretKeyLength)
            throw new SolanaException($"{source} is not a Solana keypair: expected a JSON array of {SecretKeyLength} numbers, found {numbers?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}.");
        var bytes = new byte[SecretKeyLength];
        for (var i = 0; i < bytes.Length; i++)
        {
            if ((uint)numbers[i] > 255)
                throw new SolanaException($"{source} is not a Solana keypair: element {i} is {numbers[i]}, not a byte.");
            bytes[i] = (byte)numbers[i];
        }
        return FromSecretKey(bytes);
    }

    /// <summary>Solana's 64-byte secret key: seed then public key.</summary>
    public byte[] SecretKey()
    {
        var secret = new byte[SecretKeyLength];
        _seed.CopyTo(secret, 0);
        PublicKey.WriteTo(secret.AsSpan(SeedLength));
        return secret;
    }

    public string ToJson() => "[" + string.Join(',', SecretKey()) + "]";

    /// <summary>Writes the Solana CLI keypair file format.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson());

    public Signature Sign(ReadOnlySpan<byte> message)
    {
        Span<byte> signature = stackalloc byte[Signature.Length];
        Ed25519.Sign(_key, message, signature);
        return new Signature(signature);
    }

    /// <summary>Whether <paramref name="signature"/> is <paramref name="publicKey"/>'s signature of <paramref name="message"/>.</summary>
    public static bool Verify(PublicKey publicKey, ReadOnlySpan<byte> message, Signature signature)
    {
        if (!NSecPublicKey.TryImport(Ed25519, publicKey.Bytes, KeyBlobFormat.RawPublicKey, out var key) || key is null)
            return false;
        return Ed25519.Verify(key, message, signature.Bytes);
    }

    public void Dispose() => _key.Dispose();

    public override string ToString() => PublicKey.ToString();
}
