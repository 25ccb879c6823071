using IoNet.Solana.Keys;
using IoNet.Solana.Wire;

namespace IoNet.Solana.Tests.Keys;

/// <summary>Bad base58 and wrong lengths for keys, signatures and blockhashes: always the SDK's exception, with the reason.</summary>
public sealed class KeyTextEdgeTests
{
    private static readonly string Ones31 = new('1', 31);
    private static readonly string Ones33 = new('1', 33);

    public static TheoryData<string> BadKeys() => new()
    {
        "",
        "0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl", // not in the alphabet
        "11111111111111111111111111111111 ", // trailing space
        "So11111111111111111111111111111111111111112+",
        Ones31, // 31 zero bytes
        Ones33, // 33 zero bytes
        new string('1', 32) + "z", // 33 bytes, the last one non-zero
        new string('z', 44), // 33 bytes
        new string('z', 200),
        "3yZe7d", // a few bytes
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void a_bad_public_key_text_is_refused_clearly(string text)
    {
        Should.Throw<SolanaException>(() => PublicKey.Parse(text)).Message.ShouldContain("public key");
        PublicKey.TryParse(text, out _).ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void a_bad_blockhash_text_is_refused_clearly(string text)
    {
        Should.Throw<SolanaException>(() => Blockhash.Parse(text)).Message.ShouldContain("blockhash");
        Blockhash.TryParse(text, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("11111111111111111111111111111111")] // 32 bytes: a key, not a signature
    [InlineData("0OIl")]
    public void a_bad_signature_text_is_refused_clearly(string text)
    {
        Should.Throw<SolanaException>(() => Signature.Parse(text)).Message.ShouldContain("signature");
        Signature.TryParse(text, out _).ShouldBeFalse();
    }

    [Fact]
    public void signatures_of_63_and_65_bytes_are_refused()
    {
        Should.Throw<SolanaException>(() => Signature.Parse(Base58.Encode(Filled(63)))).Message.ShouldContain("64 bytes");
        Should.Throw<SolanaException>(() => Signature.Parse(Base58.Encode(Filled(65)))).Message.ShouldContain("64 bytes");
        Should.Throw<SolanaException>(() => new Signature(new byte[63])).Message.ShouldContain("not 63");
    }

    [Fact]
    public void constructors_refuse_wrong_lengths()
    {
        Should.Throw<SolanaException>(() => new PublicKey(new byte[31])).Message.ShouldContain("not 31");
        Should.Throw<SolanaException>(() => new PublicKey(new byte[33])).Message.ShouldContain("not 33");
        Should.Throw<SolanaException>(() => new Blockhash(new byte[0])).Message.ShouldContain("not 0");
    }

    [Fact]
    public void leading_zero_bytes_round_trip_as_leading_ones()
    {
        var bytes = Filled(32);
        bytes[0] = bytes[1] = 0;
        var key = new PublicKey(bytes);
        key.ToString().ShouldStartWith("11");
        PublicKey.Parse(key.ToString()).ShouldBe(key);
        PublicKey.Parse(new string('1', 32)).ShouldBe(PublicKey.Default);
        var signature = new Signature(Filled(64));
        Signature.Parse(signature.ToString()).ShouldBe(signature);
    }

    [Fact]
    public void bad_base58_decodes_to_the_sdk_exception()
    {
        Should.Throw<SolanaException>(() => Base58.Decode("abc0")).Message.ShouldContain("base58");
    }

    [Fact]
    public void the_extreme_keys_and_many_random_ones_round_trip_through_base58()
    {
        var random = new Random(58);
        byte[] leadingZero = [0, .. Enumerable.Repeat((byte)0xff, 31)];
        var samples = new List<byte[]> { new byte[32], Enumerable.Repeat((byte)0xff, 32).ToArray(), leadingZero };
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[32];
            random.NextBytes(bytes);
            bytes.AsSpan(0, random.Next(4)).Clear();
            samples.Add(bytes);
        }
        foreach (var bytes in samples)
        {
            var text = Base58.Encode(bytes);
            PublicKey.Parse(text).ToArray().ShouldBe(bytes);
            Blockhash.Parse(text).Bytes.ToArray().ShouldBe(bytes);
            PublicKey.TryParse("1" + text, out _).ShouldBeFalse(); // a leading zero byte more: 33 bytes
            if (bytes[0] >= 5)
                PublicKey.TryParse(text + "1", out _).ShouldBeFalse(); // times 58 overflows into a 33rd byte
        }
        var signature = Enumerable.Repeat((byte)0xff, 64).ToArray();
        Signature.Parse(Base58.Encode(signature)).ToArray().ShouldBe(signature);
    }

    private static byte[] Filled(int length) => [.. Enumerable.Range(1, length).Select(i => (byte)(i * 37))];
}
