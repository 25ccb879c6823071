using System.Text.Json;
using System.Text.Json.Nodes;
using IoNet.Indexer.Configuration;
using IoNet.Solana;
using IoNet.Solana.Keys;
using IoNet.TestSupport;
using Microsoft.Extensions.Configuration;

namespace IoNet.Indexer.Tests.Configuration;

/// <summary>What the indexer tracks, read from settings as the command line gives them.</summary>
public sealed class IndexerSourcesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ionet-sources-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Key() => Keypair.Generate().PublicKey.ToString();

    /// <summary>An address file shaped as localnet's genesis writes it.</summary>
    private string AddressFile()
    {
        JsonObject Mint(byte decimals) => new()
        {
            ["address"] = Key(), ["decimals"] = decimals, ["tokenProgram"] = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
            ["authority"] = new JsonObject { ["address"] = Key(), ["keypair"] = "x.json" },
        };
        JsonObject Authority() => new() { ["address"] = Key(), ["keypair"] = "x.json" };
        var root = new JsonObject
        {
            ["mints"] = new JsonObject { ["io"] = Mint(8), ["iosd"] = Mint(6), ["usdc"] = Mint(6) },
            ["authorities"] = new JsonObject { ["faucet"] = Authority(), ["escrow"] = Authority(), ["treasury"] = Authority(), ["stake"] = Authority() },
        };
        var path = Path.Combine(_dir, "addresses.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    private string IdlFile(bool withAddress = true)
    {
        var idl = JsonNode.Parse(File.ReadAllText(RepoPaths.FixtureFile("vectors", "anchor-escrow.json")))!["idl"]!.DeepClone().AsObject();
        if (!withAddress)
            idl.Remove("address");
        var path = Path.Combine(_dir, withAddress ? "escrow.json" : "no-address.json");
        File.WriteAllText(path, idl.ToJsonString());
        return path;
    }

    private static IndexerSettings Settings(params string[] args) =>
        new ConfigurationBuilder().AddCommandLine(args).Build().GetSection(IndexerSettings.Section).Get<IndexerSettings>() ?? new IndexerSettings();

    [Fact]
    public void the_address_file_gives_a_source_per_mint_and_vault_and_each_anchor_program_its_own()
    {
        var settings = Settings($"--Indexer:AddressFile={AddressFile()}", $"--Indexer:AnchorPrograms:0:IdlFile={IdlFile()}", "--Indexer:AnchorPrograms:0:Name=escrow");
        var tracked = IndexerSources.Load(settings);

        tracked.Sources.Select(s => s.Kind).ShouldBe([
            "mint:io", "mint:iosd", "mint:usdc", "vault:escrow-iosd", "vault:escrow-io", "vault:escrow-usdc", "vault:treasury", "vault:stake", "anchor:escrow"]);
        tracked.Sources[^1].Address.ToString().ShouldBe("FCYnLMvWhQonEFq3spmjJPjMMk2dnkE28JgpD9KL5kkJ");
        tracked.Sources.ShouldAllBe(s => s.Name == $"{s.Kind}:{s.Address}" && s.StartSlot == null);
        tracked.Anchor!.Programs.ShouldBe([tracked.Sources[^1].Address]);
        IndexerSources.Load(Settings($"--Indexer:AddressFile={AddressFile()}")).Anchor.ShouldBeNull();
    }

    [Fact]
    public void start_slots_apply_per_source_by_kind_or_address_and_a_key_that_names_nothing_is_refused()
    {
        var file = AddressFile();
        var treasury = IndexerSources.Load(Settings($"--Indexer:AddressFile={file}")).Sources.Single(s => s.Kind == "vault:treasury").Address;
        var tracked = IndexerSources.Load(Settings($"--Indexer:AddressFile={file}", "--Indexer:StartSlot=5",
            "--Indexer:StartSlots:mint.io=1200", $"--Indexer:StartSlots:{treasury}=77"));

        tracked.Sources.Single(s => s.Kind == "mint:io").StartSlot.ShouldBe(1200UL);
        tracked.Sources.Single(s => s.Kind == "vault:treasury").StartSlot.ShouldBe(77UL);
        tracked.Sources.Single(s => s.Kind == "mint:iosd").StartSlot.ShouldBeNull(); // falls back to StartSlot (5)

        Should.Throw<SolanaException>(() => IndexerSources.Load(Settings($"--Indexer:AddressFile={file}", "--Indexer:StartSlots:mint.nope=1")))
            .Message.ShouldContain("mint.nope");
    }

    [Fact]
    public void a_source_is_crawled_through_blocks_where_configured_by_kind_or_address_and_a_key_that_names_nothing_is_refused()
    {
        var file = AddressFile();
        var treasury = IndexerSources.Load(Settings($"--Indexer:AddressFile={file}")).Sources.Single(s => s.Kind == "vault:treasury").Address;
        var tracked = IndexerSources.Load(Settings($"--Indexer:AddressFile={file}", "--Indexer:Sources:mint.io=Blocks",
            $"--Indexer:Sources:{treasury}=Blocks", "--Indexer:Sources:mint.iosd=Signatures", "--Indexer:StartSlots:mint.io=1200"));

        tracked.Sources.Single(s => s.Kind == "mint:io").ShouldSatisfyAllConditions(
            s => s.Mode.ShouldBe(IoNet.Indexer.Crawling.SourceMode.Blocks), s => s.StartSlot.ShouldBe(1200UL));
        tracked.Sources.Single(s => s.Kind == "vault:treasury").Mode.ShouldBe(IoNet.Indexer.Crawling.SourceMode.Blocks);
        tracked.Sources.Where(s => s.Kind is not ("mint:io" or "vault:treasury")).ShouldAllBe(s => s.Mode == IoNet.Indexer.Crawling.SourceMode.Signatures);

        Should.Throw<SolanaException>(() => IndexerSources.Load(Settings($"--Indexer:AddressFile={file}", "--Indexer:Sources:mint.nope=Blocks")))
            .Message.ShouldContain("Indexer:Sources names no tracked source: mint.nope");
    }

    [Fact]
    public void bad_anchor_settings_get_clear_errors()
    {
        var file = AddressFile();
        Should.Throw<SolanaException>(() => IndexerSources.Load(Settings($"--Indexer:AddressFile={file}", "--Indexer:AnchorPrograms:0:IdlFile=/nope.json")))
            .Message.ShouldContain("not found");
        Should.Throw<SolanaException>(() => IndexerSources.Load(Settings($"--Indexer:AddressFile={file}", $"--Indexer:AnchorPrograms:0:IdlFile={IdlFile(withAddress: false)}")))
            .Message.ShouldContain("ProgramId");
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, "{ not json");
        Should.Throw<SolanaException>(() => IndexerSources.Load(Settings($"--Indexer:AddressFile={file}", $"--Indexer:AnchorPrograms:0:IdlFile={bad}")));
        Should.Throw<SolanaException>(() => IndexerSources.Load(Settings($"--Indexer:AddressFile={file}",
            $"--Indexer:AnchorPrograms:0:IdlFile={IdlFile(withAddress: false)}", "--Indexer:AnchorPrograms:0:ProgramId=not-a-key")));
        // An IDL without an address works once the program id is given.
        var program = Key();
        IndexerSources.Load(Settings($"--Indexer:AddressFile={file}", $"--Indexer:AnchorPrograms:0:IdlFile={IdlFile(withAddress: false)}",
            $"--Indexer:AnchorPrograms:0:ProgramId={program}")).Sources[^1].Address.ToString().ShouldBe(program);
    }
}
