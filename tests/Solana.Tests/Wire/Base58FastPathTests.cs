using System.Text;
using IoNet.Solana.Keys;
using IoNet.Solana.Wire;

namespace IoNet.Solana.Tests.Wire;

/// <summary>
/// The limb code in <see cref="Base58"/> against SimpleBase, which it replaced on the hot paths: the same text, the same
/// bytes, and the same refusals, on edge cases and on fuzzed input (fixed seeds).
/// </summary>
public sealed class Base58FastPathTests
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static readonly SimpleBase.Base58 Reference = SimpleBase.Base58.Bitcoin;

    /// <summary>What <see cref="Base58.Decode"/> did before: SimpleBase behind the alphabet check.</summary>
    private static byte[]? ReferenceDecode(string text)
    {
        if (!Base58.IsAlphabet(text))
            return null;
        try
        {
            return Reference.Decode(text);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>What <see cref="Base58.TryDecodeExactly"/> did before.</summary>
    private static byte[]? ReferenceDecodeExactly(string? text, int length)
    {
        if (string.IsNullOrEmpty(text) || text.Length > length * 2 || !Base58.IsAlphabet(text))
            return null;
        var buffer = new byte[length + 1];
        try
        {
            return Reference.TryDecode(text, buffer, out var written) && written == length ? buffer[..written] : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The same answer as SimpleBase, and what decodes encodes back to the very same text (base58 has one spelling per byte string).</summary>
    private static void Same(string text)
    {
        var expected = ReferenceDecode(text);
        if (expected is null)
        {
            Should.Throw<SolanaException>(() => Base58.Decode(text));
        }
        else
        {
            var decoded = Base58.Decode(text);
            decoded.ShouldBe(expected, $"Decode('{text}')");
            Base58.Encode(decoded).ShouldBe(text);
        }
        foreach (var length in new[] { 1, 4, 8, 31, 32, 33, 64, 65, 128 })
        {
            var expectedExact = ReferenceDecodeExactly(text, length);
            var actual = new byte[length];
            var ok = Base58.TryDecodeExactly(text, actual);
            ok.ShouldBe(expectedExact is not null, $"TryDecodeExactly('{text}', {length})");
            if (ok)
            {
                actual.ShouldBe(expectedExact!);
                Base58.Encode(actual).ShouldBe(text);
            }
        }
        (PublicKey.TryParse(text, out var key) ? key.ToArray() : null).ShouldBe(ReferenceDecodeExactly(text, 32));
        (Signature.TryParse(text, out var sig) ? sig.ToArray() : null).ShouldBe(ReferenceDecodeExactly(text, 64));
        if (PublicKey.TryParse(text, out key))
            key.ToString().ShouldBe(text);
        if (Signature.TryParse(text, out sig))
            sig.ToString().ShouldBe(text);
    }

    private static byte[] RandomBytes(Random random, int length, int leadingZeros, bool saturate)
    {
        var bytes = new byte[length];
        if (saturate)
            bytes.AsSpan().Fill(0xff);
        else
            random.NextBytes(bytes);
        bytes.AsSpan(0, Math.Min(leadingZeros, length)).Clear();
        return bytes;
    }

    [Fact]
    public void encoding_matches_simplebase_on_edges_and_fuzz()
    {
        var random = new Random(58);
        for (var length = 0; length <= 140; length++)
        {
            for (var round = 0; round < 60; round++)
            {
                var zeros = round % 4 == 0 ? random.Next(0, length + 1) : round % 4 == 1 ? random.Next(0, 3) : 0;
                var bytes = RandomBytes(random, length, zeros, round % 10 == 5);
                if (round == 7)
                    bytes.AsSpan().Clear();
                if (round == 8 && length > 0)
                {
                    bytes.AsSpan().Clear();
                    bytes[^1] = 1;
                }
                Base58.Encode(bytes).ShouldBe(Reference.Encode(bytes), Convert.ToHexString(bytes));
            }
        }
    }

    [Fact]
    public void keys_and_signatures_print_as_simplebase_prints_them()
    {
        var random = new Random(32);
        for (var i = 0; i < 5000; i++)
        {
            var key = new PublicKey(RandomBytes(random, 32, i % 7 == 0 ? random.Next(0, 33) : 0, i % 97 == 0));
            key.ToString().ShouldBe(Reference.Encode(key.Bytes));
            var signature = new Signature(RandomBytes(random, 64, i % 7 == 0 ? random.Next(0, 65) : 0, i % 97 == 0));
            signature.ToString().ShouldBe(Reference.Encode(signature.Bytes));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("11111111111111111111111111111111")] // 32 '1': 32 zero bytes
    [InlineData("1111111111111111111111111111111")]
    [InlineData("111111111111111111111111111111111")]
    [InlineData("1111111111111111111111111111111111111111111111111111111111111111")]
    [InlineData("11111111111111111111111111111112")]
    [InlineData("JEKNVnkbo3jma5nREBBJCDoXFVeKkD56V3xKrvRmWxFG")] // 2^256 - 1
    [InlineData("JEKNVnkbo3jma5nREBBJCDoXFVeKkD56V3xKrvRmWxFH")] // 2^256: 33 bytes
    [InlineData("1JEKNVnkbo3jma5nREBBJCDoXFVeKkD56V3xKrvRmWxFG")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    [InlineData("67rpwLCuS5DGA8KGZXKsVQ7dnPb9goRLoKfgGbLfQg9WoLUgNY77E2jT11fem3coV9nAkguBACzrU1iyZM4B8roQ")] // 2^512 - 1
    [InlineData("67rpwLCuS5DGA8KGZXKsVQ7dnPb9goRLoKfgGbLfQg9WoLUgNY77E2jT11fem3coV9nAkguBACzrU1iyZM4B8roR")]
    [InlineData("0OIl")]
    [InlineData("1111O")]
    [InlineData("So11111111111111111111111111111111111111112")]
    [InlineData("So1111111111111111111111111111111111111111é")]
    [InlineData("So111111111111111111111111111111111111111١")]
    [InlineData("So11111111111111111111111111111111111111112 ")]
    [InlineData(" So11111111111111111111111111111111111111112")]
    public void decoding_edges_match_simplebase(string text) => Same(text);

    [Fact]
    public void decoding_matches_simplebase_on_fuzzed_text()
    {
        var random = new Random(5858);
        var noise = Alphabet + "0OIl+/=é ١\0";
        for (var i = 0; i < 20000; i++)
        {
            string text;
            switch (i % 4)
            {
                case 0: // a real key or signature, perhaps with leading zero bytes
                    var length = random.Next(2) == 0 ? 32 : 64;
                    text = Reference.Encode(RandomBytes(random, length, random.Next(4) == 0 ? random.Next(0, length + 1) : 0, random.Next(50) == 0));
                    break;
                case 1: // random alphabet text of any length, perhaps led by '1's
                    var sb = new StringBuilder(new string('1', random.Next(4) == 0 ? random.Next(0, 70) : 0));
                    var count = random.Next(0, 180);
                    for (var k = 0; k < count; k++)
                        sb.Append(Alphabet[random.Next(Alphabet.Length)]);
                    text = sb.ToString();
                    break;
                default: // a key or signature with one character changed, added or removed
                    var chars = new List<char>(Reference.Encode(RandomBytes(random, random.Next(2) == 0 ? 32 : 64, random.Next(3), false)));
                    var at = random.Next(chars.Count);
                    var c = i % 8 == 2 ? noise[random.Next(noise.Length)] : Alphabet[random.Next(Alphabet.Length)];
                    switch (random.Next(4))
                    {
                        case 0: chars[at] = c; break;
                        case 1: chars.Insert(at, c); break;
                        case 2: chars.RemoveAt(at); break;
                        default: chars.Insert(0, '1'); break;
                    }
                    text = new string([.. chars]);
                    break;
            }
            Same(text);
        }
    }

    [Fact]
    public void instruction_data_round_trips_through_both()
    {
        var random = new Random(7);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = RandomBytes(random, random.Next(0, 300), random.Next(3) == 0 ? random.Next(0, 5) : 0, false);
            var text = Reference.Encode(bytes);
            Base58.Decode(text).ShouldBe(bytes);
            Base58.Encode(bytes).ShouldBe(text);
        }
    }
}
