using System.Text;
using System.Text.Json.Nodes;
using IoNet.Programs.Anchor;
using IoNet.Programs.Anchor.Events;
using IoNet.TestSupport;

namespace IoNet.Programs.Tests.Anchor;

/// <summary>Mutated inputs (fixed seed) either decode or raise <see cref="AnchorCoderException"/>; nothing else escapes.</summary>
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

    private static void OnlyCoderErrors(Action action, string what)
    {
        try
        {
            action();
        }
        catch (AnchorCoderException)
        {
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
            OnlyCoderErrors(() => decoded += parsers[coder].ParseLogs(logs).Count, line);
        }
        decoded.ShouldBeGreaterThan(100);
    }

    [Fact]
    public void ten_thousand_mutated_borsh_payloads_decode_or_raise_only_the_coder_exception_and_decoded_ones_encode_back()
    {
        var vectors = Generated["vectors"]!.AsArray().Select(v => v!).ToList();
        var rng = new Random(7_777);
        var roundTrips = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var v = vectors[rng.Next(vectors.Count)];
            var coder = CoderOf(v);
            var bytes = Mutate(rng, Convert.FromHexString(v["hex"]!.GetValue<string>()));
            OnlyCoderErrors(() =>
            {
                switch (v["kind"]!.GetValue<string>())
                {
                    case "instruction":
                    {
                        var d = coder.DecodeInstruction(bytes);
                        if (!d.Data.ToJsonString().Contains("NaN", StringComparison.Ordinal))
                        {
                            coder.EncodeInstruction(d.Name, d.Data).ShouldBe(bytes);
                            roundTrips++;
                        }
                        break;
                    }
                    case "event":
                    {
                        var d = coder.DecodeEvent(bytes);
                        if (!d.Data.ToJsonString().Contains("NaN", StringComparison.Ordinal))
                        {
                            coder.EncodeEvent(d.Name, d.Data).ShouldBe(bytes);
                            roundTrips++;
                        }
                        break;
                    }
                    default:
                    {
                        var d = coder.DecodeAccount(bytes);
                        var again = coder.EncodeAccount(d.Name, d.Data);
                        if (!d.Data.ToJsonString().Contains("NaN", StringComparison.Ordinal)) bytes.AsSpan().StartsWith(again).ShouldBeTrue();
                        break;
                    }
                }
            }, Convert.ToHexStringLower(bytes));
        }
        roundTrips.ShouldBeGreaterThan(100);
    }

    [Fact]
    public void mutated_idl_json_loads_or_raises_only_the_coder_exception()
    {
        var idls = new[] { Generated["idls"]!["current"]!.ToJsonString(), Generated["idls"]!["legacy"]!.ToJsonString() };
        var rng = new Random(99);
        for (var i = 0; i < 1_000; i++)
        {
            var text = MutateText(rng, idls[rng.Next(idls.Length)]);
            OnlyCoderErrors(() =>
            {
                var coder = AnchorCoder.FromJson(text);
                foreach (var ev in coder.Idl.Events) coder.DecodeEvent((byte[])[.. ev.Discriminator, .. new byte[64]]);
            }, text);
        }
    }
}
