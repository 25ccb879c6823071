using System.Text.Json.Nodes;
using IoNet.Programs.Anchor;
using IoNet.Programs.Anchor.Events;
using IoNet.Solana.Keys;
using IoNet.Solana.Wire;
using IoNet.TestSupport;

namespace IoNet.Programs.Tests.Anchor;

/// <summary>Real mainnet getTransaction responses from tests/Fixtures/rpc (provenance in tests/Fixtures/README.md).</summary>
public sealed class RealFixtureEventTests
{
    private static readonly PublicKey Whirlpool = PublicKey.Parse("whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc");
    private static readonly PublicKey Jupiter = PublicKey.Parse("JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4");
    private static readonly PublicKey Router = PublicKey.Parse("6m2CDdhRgxpH4WjvdzxAYbGxwdGUz5MziiL5jek2kBma");
    private static readonly PublicKey Dlmm = PublicKey.Parse("LBUZKhRxPF3XUpBCjp4YzTKgLccjZhTSDM9YuVaPwxo");

    private static JsonNode Fixture(string name) =>
        JsonNode.Parse(System.IO.File.ReadAllText(RepoPaths.FixtureFile("rpc", name)))!;

    private static List<string?> Logs(JsonNode meta) => [.. meta["logMessages"]!.AsArray().Select(l => l?.GetValue<string>())];

    /// <summary>Inner instructions with program ids resolved: static keys, then loaded writable, then loaded readonly.</summary>
    private static List<InnerInstructionData> Inner(JsonNode meta, IReadOnlyList<string> staticKeys)
    {
        var keys = staticKeys
            .Concat(meta["loadedAddresses"]!["writable"]!.AsArray().Select(k => k!.GetValue<string>()))
            .Concat(meta["loadedAddresses"]!["readonly"]!.AsArray().Select(k => k!.GetValue<string>()))
            .Select(PublicKey.Parse).ToList();
        return
        [
            .. meta["innerInstructions"]!.AsArray().SelectMany(group => group!["instructions"]!.AsArray().Select((ix, position) =>
                new InnerInstructionData(
                    group["index"]!.GetValue<int>(),
                    position,
                    keys[ix!["programIdIndex"]!.GetValue<int>()],
                    Base58.Decode(ix["data"]!.GetValue<string>())))),
        ];
    }

    [Fact]
    public void an_event_in_program_data_is_attributed_to_the_program_that_logged_it()
    {
        var meta = Fixture("getTransaction-json-v0-swap-loadedAddresses.json")["result"]!["meta"]!;
        var line = ProgramLogs.DataLines(Logs(meta)).ShouldHaveSingleItem();
        line.LineIndex.ShouldBe(94);
        line.ProgramId.ShouldBe(Whirlpool);
        line.Depth.ShouldBe(2);
        line.Decode()[..8].ShouldBe(Discriminators.Event("Traded"));
        Convert.ToHexStringLower(line.Decode()[..8]).ShouldBe("e1ca49af932ba096");
    }

    [Fact]
    public void a_data_line_after_a_nested_program_returns_belongs_to_its_caller()
    {
        var meta = Fixture("getTransaction-json-v0-meta-only-cpi-anchor-event.json");
        var line = ProgramLogs.DataLines(Logs(meta)).ShouldHaveSingleItem();
        line.LineIndex.ShouldBe(33);
        line.ProgramId.ShouldBe(Router);
        line.Depth.ShouldBe(1);
        line.Decode()[..8].ShouldBe(Discriminators.Event("SwapEvent"));

        // Decoded with a hand-written IDL of the router's event (25 bytes: u8, u64, u64, as the program's own log shows).
        var idl = $$$"""
            {"address":"{{{Router}}}","metadata":{"name":"router","version":"0","spec":"0.1.0"},"instructions":[],
             "events":[{"name":"SwapEvent","discriminator":[64,198,205,232,38,8,113,226]}],
             "types":[{"name":"SwapEvent","type":{"kind":"struct","fields":[
               {"name":"dex","type":"u8"},{"name":"amount_in","type":"u64"},{"name":"amount_out","type":"u64"}]}}]}
            """;
        var ev = new AnchorEventParser(AnchorCoder.FromJson(idl)).ParseLogs(Logs(meta)).ShouldHaveSingleItem();
        ev.ProgramId.ShouldBe(Router);
        ev.Origin.ShouldBe(new AnchorEventOrigin.LogLine(33));
        ev.Data.ShouldBeJson(JsonNode.Parse("""{"dex":13,"amount_in":"9372599925000","amount_out":"1700985700449"}"""));

        // A coder for the DLMM program (which did not log it) sees nothing.
        var dlmm = idl.Replace(Router.ToString(), Dlmm.ToString(), StringComparison.Ordinal);
        new AnchorEventParser(AnchorCoder.FromJson(dlmm)).ParseLogs(Logs(meta)).ShouldBeEmpty();
    }

    [Fact]
    public void the_jupiter_self_cpi_events_are_found_among_the_inner_instructions()
    {
        var result = Fixture("getTransaction-json-v0-swap-loadedAddresses.json")["result"]!;
        var staticKeys = result["transaction"]!["message"]!["accountKeys"]!.AsArray().Select(k => k!.GetValue<string>()).ToList();
        var inner = Inner(result["meta"]!, staticKeys);
        inner.Count.ShouldBe(18);

        var events = CpiEvents.Find(inner).ToList();
        events.Count.ShouldBe(3);
        events.ShouldAllBe(e => e.ProgramId == Jupiter && e.InstructionIndex == 8 && e.Data.Length == 128);
        foreach (var e in events)
            CpiEvents.EventBytes(e.Data)[..8].ToArray().ShouldBe(Discriminators.Event("SwapEvent"));

        // Jupiter v6's SwapEvent layout (amm, input_mint, input_amount, output_mint, output_amount): 112 bytes exactly.
        var idl = $$$"""
            {"address":"{{{Jupiter}}}","metadata":{"name":"jupiter","version":"0","spec":"0.1.0"},"instructions":[],
             "events":[{"name":"SwapEvent","discriminator":[64,198,205,232,38,8,113,226]}],
             "types":[{"name":"SwapEvent","type":{"kind":"struct","fields":[
               {"name":"amm","type":"pubkey"},{"name":"input_mint","type":"pubkey"},{"name":"input_amount","type":"u64"},
               {"name":"output_mint","type":"pubkey"},{"name":"output_amount","type":"u64"}]}}]}
            """;
        var decoded = new AnchorEventParser(AnchorCoder.FromJson(idl)).ParseInnerInstructions(inner);
        decoded.Count.ShouldBe(3);
        decoded.Select(d => d.Origin).ShouldBe(events.Select(e => (AnchorEventOrigin)new AnchorEventOrigin.InnerInstruction(8, e.Position)));
        decoded.Select(d => d.Data["amm"]!.GetValue<string>()).ShouldBe([
            "SoLFiHG9TfgtdUXUjWAxi3LtvYuFyDLVhBWxdMZxyCe", "obriQD1zbpyLz95G5n7nJe6a4DPjpFwa5XYPoNm113y", Whirlpool.ToString()],
            ignoreOrder: true);
        decoded[^1].Data["output_amount"]!.GetValue<string>().ShouldBe("1265445");

        // Without a coder for Jupiter nothing is decoded (other programs' event instructions are skipped).
        new AnchorEventParser(AnchorCoder.FromJson(idl.Replace(Jupiter.ToString(), Whirlpool.ToString(), StringComparison.Ordinal)))
            .ParseInnerInstructions(inner).ShouldBeEmpty();
    }

    [Fact]
    public void the_dlmm_self_cpi_event_resolves_its_program_from_the_writable_loaded_addresses()
    {
        var meta = Fixture("getTransaction-json-v0-meta-only-cpi-anchor-event.json");
        var staticCount = meta["preBalances"]!.AsArray().Count - 10;
        // Meta-only: static keys are unknown; placeholders stand for them (the event's program is a loaded address).
        var placeholders = Enumerable.Range(0, staticCount).Select(i => new PublicKey(new byte[32]).ToString()).ToList();
        var ev = CpiEvents.Find(Inner(meta, placeholders)).ShouldHaveSingleItem();
        ev.ProgramId.ShouldBe(Dlmm);
        ev.InstructionIndex.ShouldBe(3);
        ev.Position.ShouldBe(3);
        ev.Data.Length.ShouldBe(145);
    }
}
