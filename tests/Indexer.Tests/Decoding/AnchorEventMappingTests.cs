using System.Text.Json;
using System.Text.Json.Nodes;
using IoNet.Indexer.Decoding;
using IoNet.Ledger.Anchor;
using IoNet.Programs.Anchor;
using IoNet.Programs.Anchor.Events;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.TestSupport;

namespace IoNet.Indexer.Tests.Decoding;

/// <summary>
/// AnchorEventObserved from a configured program's IDL, checked against the events @coral-xyz/anchor's own parser
/// found in the same logs (tests/Fixtures/vectors/anchor-escrow.json).
/// </summary>
public sealed class AnchorEventMappingTests
{
    private static readonly JsonElement Vector = JsonDocument.Parse(File.ReadAllText(RepoPaths.FixtureFile("vectors", "anchor-escrow.json"))).RootElement;
    private static readonly AnchorCoder Coder = AnchorCoder.FromJson(Vector.GetProperty("idl").GetRawText());
    private static readonly PublicKey Program = Coder.ProgramId!.Value;
    private static readonly Signature Sig = new(Enumerable.Repeat((byte)9, 64).ToArray());

    private static PublicKey K(byte b) => new(Enumerable.Repeat(b, 32).ToArray());

    private static readonly IoNetAddresses Network = new(
        new MintInfo(K(100), 8, WellKnownPrograms.Token), new MintInfo(K(101), 6, WellKnownPrograms.Token), new MintInfo(K(102), 6, WellKnownPrograms.Token),
        K(110), K(111), K(112), K(113));

    private static DecodedTransaction Tx(IReadOnlyList<string> logs, IReadOnlyList<DecodedInstruction>? instructions = null, bool succeeded = true) =>
        new(Sig, 77, 1_700_000_000, succeeded, succeeded ? null : "err", [], instructions ?? [], logs);

    private static IReadOnlyList<string> VectorLogs => [.. Vector.GetProperty("eventParserLogs").EnumerateArray().Select(l => l.GetString()!)];

    [Fact]
    public void program_data_lines_become_events_equal_to_anchors_own_parse_with_their_instruction_and_line()
    {
        var result = ChainEventMapper.Map(Tx(VectorLogs), Network, new AnchorEventParser(Coder));

        result.Ignored.ShouldBeEmpty();
        var events = result.Events.Cast<AnchorEventObserved>().ToList();
        var expected = Vector.GetProperty("eventParserResult").EnumerateArray().ToList();
        events.Count.ShouldBe(expected.Count);
        for (var i = 0; i < events.Count; i++)
        {
            events[i].Name.ShouldBe(expected[i].GetProperty("name").GetString());
            events[i].Program.ShouldBe(Program.ToString());
            (events[i].Signature, events[i].Slot, events[i].BlockTime).ShouldBe((Sig.ToString(), 77UL, (long?)1_700_000_000));
            // Integers keep every digit (u64 max, negative i64) whether anchor wrote them as strings or numbers.
            var data = JsonNode.Parse(events[i].Data)!.AsObject();
            foreach (var field in expected[i].GetProperty("data").EnumerateObject())
                Text(data[field.Name]).ShouldBe(field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : field.Value.GetRawText());
        }
        // The program is the second top-level instruction (after ComputeBudget); the path names the log line.
        events.Select(e => e.Path).ShouldBe(["1.log4", "1.log7", "1.log8"]);
    }

    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        null => null,
        _ => node.ToJsonString(),
    };

    [Fact]
    public void emit_cpi_inner_instructions_become_events_with_the_inner_path()
    {
        var payload = Coder.EncodeEvent("RentalCancelled", JsonNode.Parse("""{"rental_id":"7","reason":"gone","refund":"250000000","by_seller":false}""")!);
        byte[] data = [.. Convert.FromHexString("e445a52e51cb9a1d"), .. payload];
        DecodedInstruction[] instructions =
        [
            new("0", null, Program, [], new byte[] { 1, 2, 3 }, new UnknownInstruction(Program, new byte[] { 1, 2, 3 }, "not decoded")),
            new("0.0", 2, Program, [], data, new UnknownInstruction(Program, data, "not decoded")),
        ];
        var events = ChainEventMapper.Map(Tx([], instructions), Network, new AnchorEventParser(Coder)).Events;

        var e = events.ShouldHaveSingleItem().ShouldBeOfType<AnchorEventObserved>();
        (e.Name, e.Path, e.Program).ShouldBe(("RentalCancelled", "0.0", Program.ToString()));
        JsonNode.Parse(e.Data)!["reason"]!.GetValue<string>().ShouldBe("gone");
    }

    [Fact]
    public void a_line_that_does_not_decode_is_reported_and_the_other_events_are_kept()
    {
        var logs = VectorLogs.ToList();
        logs.Insert(5, "Program data: AAAAAAAAAAAAAAAA"); // a configured program's line with an unknown discriminator
        var result = ChainEventMapper.Map(Tx(logs), Network, new AnchorEventParser(Coder));

        result.Ignored.ShouldHaveSingleItem().ShouldContain(Sig.ToString());
        result.Events.Count.ShouldBe(3);
    }

    [Fact]
    public void without_configured_programs_or_for_failed_transactions_nothing_is_recorded()
    {
        ChainEventMapper.Map(Tx(VectorLogs), Network).Events.ShouldBeEmpty();
        ChainEventMapper.Map(Tx(VectorLogs, succeeded: false), Network, new AnchorEventParser(Coder)).Events.ShouldBeEmpty();
    }

    [Fact]
    public void the_same_event_always_gets_the_same_id()
    {
        var first = ChainEventMapper.Map(Tx(VectorLogs), Network, new AnchorEventParser(Coder)).Events;
        var again = ChainEventMapper.Map(Tx(VectorLogs), Network, new AnchorEventParser(Coder)).Events;
        first.Select(IoNet.Ledger.Chain.EventIds.For).ShouldBe(again.Select(IoNet.Ledger.Chain.EventIds.For));
        first.Select(IoNet.Ledger.Chain.EventIds.For).Distinct().Count().ShouldBe(3);
    }
}
