using System.Text.Json.Nodes;
using IoNet.Programs.Anchor;
using IoNet.Programs.Anchor.Events;
using IoNet.Programs.Anchor.Idl;
using IoNet.Solana.Keys;
using IoNet.Solana.Wire;
using IoNet.TestSupport;

namespace IoNet.Programs.Tests.Anchor;

/// <summary>tests/Fixtures/vectors/anchor-escrow.json, made with @coral-xyz/anchor 0.32.1.</summary>
public sealed class EscrowVectorTests
{
    private static readonly JsonNode File = JsonNode.Parse(System.IO.File.ReadAllText(RepoPaths.FixtureFile("vectors", "anchor-escrow.json")))!;
    private static readonly AnchorCoder Coder = AnchorCoder.FromJson(File["idl"]!.ToJsonString());

    [Fact]
    public void the_escrow_idl_loads_as_the_030_format_with_its_address()
    {
        Coder.Idl.Format.ShouldBe(IdlFormat.Anchor030);
        Coder.Idl.Name.ShouldBe("escrow");
        Coder.ProgramId.ShouldBe(PublicKey.Parse("FCYnLMvWhQonEFq3spmjJPjMMk2dnkE28JgpD9KL5kkJ"));
        Coder.Idl.Instructions.Single().Accounts.Count.ShouldBe(3);
        Coder.Idl.Events.Count.ShouldBe(3);
    }

    [Fact]
    public void every_event_vector_decodes_to_anchors_values_and_encodes_back_to_the_same_bytes()
    {
        var vectors = File["vectors"]!.AsArray();
        vectors.Count.ShouldBe(3);
        foreach (var v in vectors)
        {
            var name = v!["event"]!.GetValue<string>();
            var bytes = Convert.FromHexString(v["bytesHex"]!.GetValue<string>());
            var discriminator = v["discriminator"]!.AsArray().Select(b => (byte)b!.GetValue<int>()).ToArray();
            Discriminators.Of(v["discriminatorPreimage"]!.GetValue<string>()).ShouldBe(discriminator);
            Discriminators.Event(name).ShouldBe(discriminator);

            var decoded = Coder.DecodeEvent(bytes);
            decoded.Name.ShouldBe(name);
            decoded.Data.ShouldBeJson(v["decodedByAnchor"], name);
            decoded.Data.ShouldBeJson(v["fields"], name);
            Coder.EncodeEvent(name, v["fields"]!).ShouldBe(bytes, name);

            var logLine = v["logLine"]!.GetValue<string>();
            logLine.ShouldStartWith(ProgramLogs.DataPrefix);
            Convert.FromBase64String(logLine[ProgramLogs.DataPrefix.Length..]).ShouldBe(bytes);
        }
    }

    [Fact]
    public void the_event_parser_finds_anchors_events_in_the_logs_in_order()
    {
        var logs = File["eventParserLogs"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        var events = new AnchorEventParser(Coder).ParseLogs(logs);
        var expected = File["eventParserResult"]!.AsArray();
        events.Count.ShouldBe(expected.Count);
        for (var i = 0; i < events.Count; i++)
        {
            events[i].Name.ShouldBe(expected[i]!["name"]!.GetValue<string>());
            events[i].Data.ShouldBeJson(expected[i]!["data"]);
            events[i].ProgramId.ShouldBe(Coder.ProgramId!.Value);
        }
        events.Select(e => e.Origin).ShouldBe(
        [
            new AnchorEventOrigin.LogLine(4), new AnchorEventOrigin.LogLine(7), new AnchorEventOrigin.LogLine(8),
        ]);
    }

    [Fact]
    public void the_instruction_vector_encodes_and_decodes_with_its_discriminator()
    {
        var v = File["instructionVector"]!;
        var data = Convert.FromHexString(v["dataHex"]!.GetValue<string>());
        Base58.Decode(v["dataBase58"]!.GetValue<string>()).ShouldBe(data);
        Coder.Idl.Instructions[0].Discriminator.ShouldBe(Discriminators.Instruction("open_rental"));

        Coder.EncodeInstruction("open_rental", v["args"]).ShouldBe(data);
        var decoded = Coder.DecodeInstruction(data);
        decoded.Name.ShouldBe("open_rental");
        decoded.Data.ShouldBeJson(v["args"]);
    }

    [Fact]
    public void every_independent_discriminator_vector_matches_the_sha256_rule()
    {
        var solana = JsonNode.Parse(System.IO.File.ReadAllText(RepoPaths.FixtureFile("vectors", "solana.json")))!;
        var cases = solana["anchor_discriminators"]!.AsArray();
        cases.Count.ShouldBeGreaterThan(5);
        foreach (var c in cases)
            Convert.ToHexStringLower(Discriminators.Of(c!["preimage"]!.GetValue<string>())).ShouldBe(c["first8_hex"]!.GetValue<string>());
        // The emit_cpi tag is sha256("anchor:event")[..8] read as a little-endian u64.
        Discriminators.Of("anchor:event").Reverse().ToArray().ShouldBe(Discriminators.EventInstructionTag.ToArray());
    }

    [Fact]
    public void trailing_bytes_after_an_event_or_instruction_are_rejected()
    {
        var v = File["instructionVector"]!;
        byte[] data = [.. Convert.FromHexString(v["dataHex"]!.GetValue<string>()), 0];
        Should.Throw<AnchorCoderException>(() => Coder.DecodeInstruction(data));
        byte[] ev = [.. Convert.FromHexString(File["vectors"]![0]!["bytesHex"]!.GetValue<string>()), 0];
        Should.Throw<AnchorCoderException>(() => Coder.DecodeEvent(ev));
    }
}
