using System.Text;
using System.Text.Json.Nodes;
using IoNet.Programs.Anchor;
using IoNet.Programs.Anchor.Events;
using IoNet.TestSupport;

namespace IoNet.Programs.Tests.Anchor;

/// <summary>
/// Mutated inputs (fixed seed) either decode or raise <see cref="AnchorCoderException"/>, nothing else escapes, and what
/// decodes encodes back to the same bytes (decode → encode is the identity on every accepted input).
/// </summary>
public sealed class FuzzTests
{
    private static readonly JsonNode Generated = JsonNode.Parse(System.IO.File.ReadAllText(
        RepoPaths.RepoFile("tests", "Programs.Client.Tests", "Vectors", "anchor-generated.json")))!;

    private static readonly AnchorCoder Current = AnchorCoder.FromJson(Generated["idls"]!["current"]!.ToJsonString());
    private static readonly AnchorCoder Legacy = AnchorCoder.FromJson(Generated["idls"]!["legacy"]!.ToJsonString());

    private static AnchorCoder CoderOf(JsonNode v) => v["idl"]!.GetValue<string>() == "legacy" ? Legacy : Current;

    private static byte[] Mutate(Random rng, byte[] input)
    {
        var bytes = new List<byte>(input);
        var edits = 1 + rng.Next(4);
        for (var e = 0; e < edits; e++)
        {
            switch (rng.Next(7))
            {
                case 0 when bytes.Count > 0: bytes[rng.Next(bytes.Count)] ^= (byte)(1 << rng.Next(8)); break;
                case 1 when bytes.Count > 0: bytes[rng.Next(bytes.Count)] = (byte)rng.Next(256); break;
                case 2 when bytes.Count > 0: bytes.RemoveRange(rng.Next(bytes.Count), 1); break;
                case 3: bytes.Insert(rng.Next(bytes.Count + 1), (byte)rng.Next(256)); break;
                case 4 when bytes.Count > 0: bytes.RemoveRange(rng.Next(bytes.Count), bytes.Count - rng.Next(bytes.Count) > 0 ? 1 : 0); bytes = bytes[..rng.Next(bytes.Count + 1)]; break;
                case 5 when bytes.Count > 4:
                {
                    // A huge or odd length prefix somewhere.
                    var at = rng.Next(bytes.Count - 4);
                    var len = rng.Next(3) switch { 0 => uint.MaxValue, 1 => 0x7fff_ffffu, _ => (uint)rng.Next(1 << 20) };
                    for (var i = 0; i < 4; i++) bytes[at + i] = (byte)(len >> (8 * i));
                    break;
                }
                default: bytes.Add((byte)rng.Next(256)); break;
            }
        }
        return [.. bytes];
    }

    private static string MutateText(Random rng, string text)
    {
        var chars = new StringBuilder(text);
        const string alphabet = "ABCxyz019+/= \t\u00e9\u2713\0-_.!";
        var edits = 1 + rng.Next(3);
        for (var e = 0; e < edits; e++)
        {
            var at = chars.Length == 0 ? 0 : rng.Next(chars.Length);
            switch (rng.Next(3))
            {
                case 0 when chars.Length > 0: chars[at] = alphabet[rng.Next(alphabet.Length)]; break;
                case 1 when chars.Length > 0: chars.Remove(at, 1); break;
                default: chars.Insert(at, alphabet[rng.Next(alphabet.Length)]); break;
            }
        }
        return chars.ToString();
    }

    /// <summary>
    /// Encoding a decoded value gives back the bytes it was decoded from. A NaN is the exception: JSON has one NaN and the
    /// encoder writes the canonical bits, so there the value, decoded again, must be the same.
    /// </summary>
    private static void EncodesBack(byte[] bytes, AnchorDecoded decoded, Func<string, JsonNode, byte[]> encode, Func<byte[], AnchorDecoded> decode)
    {
        var again = encode(decoded.Name, decoded.Data);
        if (decoded.Data.ToJsonString().Contains("NaN", StringComparison.Ordinal))
        {
            var redecoded = decode(again);
            (redecoded.Name, redecoded.Data.ToJsonString()).ShouldBe((decoded.Name, decoded.Data.ToJsonString()));
        }
        else
        {
            again.ShouldBe(bytes, $"{decoded.Name} {decoded.Data.ToJsonString()}");
        }
    }

    /// <summary>Runs <paramref name="action"/>: true when it decoded, false when it refused with the coder's exception.</summary>
    private static bool OnlyCoderErrors(Action action, string what)
    {
        try
        {
            action();
            return true;
        }
        catch (AnchorCoderException)
        {
            return false;
        }
        catch (ShouldAssertException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new ShouldAssertException($"{what}: {e.GetType().Name} escaped: {e.Message}", e);
        }
    }

    [Fact]
    public void ten_thousand_mutated_program_data_lines_decode_or_raise_only_the_coder_exception()
    {
        var events = Generated["vectors"]!.AsArray().Select(v => v!).Where(v => v["kind"]!.GetValue<string>() == "event").ToList();
        var parsers = new Dictionary<AnchorCoder, AnchorEventParser> { [Current] = new(Current), [Legacy] = new(Legacy) };
        var rng = new Random(20240607);
        var decoded = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var v = events[rng.Next(events.Count)];
            var coder = CoderOf(v);
            var bytes = Convert.FromHexString(v["hex"]!.GetValue<string>());
            // Half mutate the bytes (valid base64, bad Borsh), half mutate the text of the line itself.
            var line = rng.Next(2) == 0
                ? ProgramLogs.DataPrefix + Convert.ToBase64String(Mutate(rng, bytes))
                : MutateText(rng, v["logLine"]!.GetValue<string>());
            List<string?> logs = [$"Program {coder.ProgramId} invoke [1]", line, $"Program {coder.ProgramId} success"];
            OnlyCoderErrors(() =>
            {
                foreach (var ev in parsers[coder].ParseLogs(logs))
                {
                    // The event's bytes are those of its line.
                    var logged = ProgramLogs.DataLines(logs).Single(l => l.LineIndex == ((AnchorEventOrigin.LogLine)ev.Origin).Index).Decode();
                    EncodesBack(logged, new AnchorDecoded(ev.Name, ev.Data), coder.EncodeEvent, b => coder.DecodeEvent(b));
                    decoded++;
                }
            }, line);
        }
        decoded.ShouldBeGreaterThan(100);
    }

    [Fact]
    public void ten_thousand_mutated_borsh_payloads_decode_or_raise_only_the_coder_exception_and_decoded_ones_encode_back()
    {
        var vectors = Generated["vectors"]!.AsArray().Select(v => v!).ToList();
        var rng = new Random(7_777);
        int roundTrips = 0, refused = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var v = vectors[rng.Next(vectors.Count)];
            var coder = CoderOf(v);
            var bytes = Mutate(rng, Convert.FromHexString(v["hex"]!.GetValue<string>()));
            var accepted = OnlyCoderErrors(() =>
            {
                switch (v["kind"]!.GetValue<string>())
                {
                    case "instruction":
                        EncodesBack(bytes, coder.DecodeInstruction(bytes), coder.EncodeInstruction, b => coder.DecodeInstruction(b));
                        break;
                    case "event":
                        EncodesBack(bytes, coder.DecodeEvent(bytes), coder.EncodeEvent, b => coder.DecodeEvent(b));
                        break;
                    default:
                    {
                        // Account data may be longer than its value (space reserved up front): the value's bytes come first.
                        var d = coder.DecodeAccount(bytes);
                        var used = coder.EncodeAccount(d.Name, d.Data).Length;
                        EncodesBack(bytes[..Math.Min(used, bytes.Length)], d, coder.EncodeAccount, b => coder.DecodeAccount(b));
                        break;
                    }
                }
            }, Convert.ToHexStringLower(bytes));
            if (accepted) roundTrips++;
            else refused++;
        }
        roundTrips.ShouldBeGreaterThan(1_000);
        refused.ShouldBeGreaterThan(1_000);
    }

    /// <summary>
    /// The SDK has no IDL writer, so the property is the coder's own: an IDL that loads gives a coder whose accounts,
    /// decoded from zero-filled data, encode back to the bytes they were read from.
    /// </summary>
    [Fact]
    public void mutated_idl_json_loads_or_raises_only_the_coder_exception_and_what_loads_encodes_back_what_it_decodes()
    {
        var idls = new[] { Generated["idls"]!["current"]!.ToJsonString(), Generated["idls"]!["legacy"]!.ToJsonString() };
        var rng = new Random(99);
        var decodedAccounts = 0;
        for (var i = 0; i < 1_000; i++)
        {
            var text = MutateText(rng, idls[rng.Next(idls.Length)]);
            OnlyCoderErrors(() =>
            {
                var coder = AnchorCoder.FromJson(text);
                foreach (var ev in coder.Idl.Events) OnlyCoderErrors(() => coder.DecodeEvent((byte[])[.. ev.Discriminator, .. new byte[64]]), text);
                foreach (var account in coder.Idl.Accounts)
                {
                    byte[] zeros = [.. account.Discriminator, .. new byte[1024]];
                    AnchorDecoded d;
                    try
                    {
                        d = coder.DecodeAccount(zeros);
                    }
                    catch (AnchorCoderException)
                    {
                        continue;
                    }
                    var encoded = coder.EncodeAccount(d.Name, d.Data);
                    encoded.ShouldBe(zeros[..encoded.Length], $"{d.Name} {d.Data.ToJsonString()}");
                    decodedAccounts++;
                }
            }, text);
        }
        decodedAccounts.ShouldBeGreaterThan(100);
    }
}
