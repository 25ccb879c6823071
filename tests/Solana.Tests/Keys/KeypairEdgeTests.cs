using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;

namespace IoNet.Solana.Tests.Keys;

/// <summary>The Solana CLI keypair file, signing and verifying, and the on-curve check.</summary>
public sealed class KeypairEdgeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ionet-keypair-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Seed(int n) => [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + n))];

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void save_then_load_gives_the_same_keypair_in_the_cli_format()
    {
        using var keypair = Keypair.FromSeed(Seed(1));
        var path = Path.Combine(_dir, "id.json");
        keypair.Save(path);
        var text = System.IO.File.ReadAllText(path);
        text.ShouldStartWith("[");
        text.Split(',').Length.ShouldBe(64);
        using var loaded = Keypair.Load(path);
        loaded.PublicKey.ShouldBe(keypair.PublicKey);
        loaded.SecretKey().ShouldBe(keypair.SecretKey());
        keypair.SecretKey()[..32].ShouldBe(Seed(1));
        loaded.Sign("m"u8).ShouldBe(keypair.Sign("m"u8));
    }

    [Fact]
    public void a_file_that_is_not_json_is_refused()
    {
        var path = File("bad.json", "not json at all");
        var e = Should.Throw<SolanaException>(() => Keypair.Load(path));
        e.Message.ShouldContain(path);
        e.Message.ShouldContain("not a Solana keypair");
    }

    [Fact]
    public void sixty_three_numbers_are_refused()
    {
        var path = File("short.json", "[" + string.Join(',', Enumerable.Repeat(1, 63)) + "]");
        Should.Throw<SolanaException>(() => Keypair.Load(path)).Message.ShouldContain("found 63");
    }

    [Theory]
    [InlineData("300")]
    [InlineData("-1")]
    public void an_element_that_is_not_a_byte_is_refused(string element)
    {
        using var keypair = Keypair.FromSeed(Seed(2));
        var numbers = keypair.SecretKey().Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        numbers[5] = element;
        var path = File("range.json", "[" + string.Join(',', numbers) + "]");
        Should.Throw<SolanaException>(() => Keypair.Load(path)).Message.ShouldContain($"element 5 is {element}, not a byte");
    }

    [Theory]
    [InlineData("{\"secret\":[1,2]}")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("[1.5]")]
    [InlineData("[\"1\"]")]
    public void other_shapes_are_refused(string text) =>
        Should.Throw<SolanaException>(() => Keypair.FromJson(text)).Message.ShouldContain("not a Solana keypair");

    [Fact]
    public void a_public_half_of_another_key_is_refused()
    {
        using var a = Keypair.FromSeed(Seed(3));
        using var b = Keypair.FromSeed(Seed(4));
        var secret = a.SecretKey();
        b.PublicKey.WriteTo(secret.AsSpan(32));
        var path = File("mismatch.json", "[" + string.Join(',', secret) + "]");
        Should.Throw<SolanaException>(() => Keypair.Load(path)).Message.ShouldContain("does not belong to its seed");
        Should.Throw<SolanaException>(() => Keypair.FromSecretKey(secret)).Message.ShouldContain("does not belong to its seed");
    }

    [Fact]
    public void a_missing_file_or_a_directory_is_refused_naming_the_path()
    {
        var missing = Path.Combine(_dir, "missing.json");
        Should.Throw<SolanaException>(() => Keypair.Load(missing)).Message.ShouldContain(missing);
        Should.Throw<SolanaException>(() => Keypair.Load(_dir)).Message.ShouldContain("Cannot read keypair file");
    }

    [Fact]
    public void seeds_and_secret_keys_of_wrong_length_are_refused()
    {
        Should.Throw<SolanaException>(() => Keypair.FromSeed(new byte[31])).Message.ShouldContain("not 31");
        Should.Throw<SolanaException>(() => Keypair.FromSecretKey(new byte[32])).Message.ShouldContain("not 32");
    }

    [Fact]
    public void verify_rejects_a_forged_signature_a_flipped_message_bit_and_another_signer()
    {
        using var keypair = Keypair.FromSeed(Seed(5));
        using var other = Keypair.FromSeed(Seed(6));
        byte[] message = [.. "transfer 1 SOL"u8];
        var signature = keypair.Sign(message);
        Keypair.Verify(keypair.PublicKey, message, signature).ShouldBeTrue();

        var forged = signature.ToArray();
        forged[10] ^= 0x01;
        Keypair.Verify(keypair.PublicKey, message, new Signature(forged)).ShouldBeFalse();
        for (var bit = 0; bit < message.Length * 8; bit += 13)
        {
            var flipped = message.ToArray();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Keypair.Verify(keypair.PublicKey, flipped, signature).ShouldBeFalse();
        }
        Keypair.Verify(other.PublicKey, message, signature).ShouldBeFalse();
        Keypair.Verify(keypair.PublicKey, message, Signature.Empty).ShouldBeFalse();
        // A key off the curve (a PDA) verifies nothing and does not throw.
        var (pda, _) = ProgramAddress.Find([[1, 2, 3]], WellKnownPrograms.Token);
        Keypair.Verify(pda, message, signature).ShouldBeFalse();
    }

    [Fact]
    public void keypair_public_keys_are_on_the_curve_and_program_addresses_are_not()
    {
        for (var n = 0; n < 64; n++)
        {
            using var keypair = Keypair.FromSeed(Seed(n));
            keypair.PublicKey.IsOnCurve.ShouldBeTrue();
            var (pda, _) = ProgramAddress.Find([keypair.PublicKey.ToArray(), [(byte)n]], WellKnownPrograms.AssociatedToken);
            pda.IsOnCurve.ShouldBeFalse();
        }
    }
}
