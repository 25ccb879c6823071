using System.Text.Json.Nodes;
using IoNet.Programs.Anchor;
using IoNet.Programs.Anchor.Events;
using IoNet.Programs.Anchor.Idl;
using IoNet.TestSupport;

namespace IoNet.Programs.Tests.Anchor;

/// <summary>Vectors/anchor-generated.json, made by localnet/scripts/anchor-vectors.mjs with @coral-xyz/anchor 0.32.1.</summary>
public sealed class GeneratedVectorTests
{
    private static readonly JsonNode File = JsonNode.Parse(System.IO.File.ReadAllText(
        RepoPaths.RepoFile("tests", "Programs.Client.Tests", "Vectors", "anchor-generated.json")))!;

    private static readonly Dictionary<string, AnchorCoder> Coders = new()
    {
        ["current"] = AnchorCoder.FromJson(File["idls"]!["current"]!.ToJsonString()),
        ["legacy"] = AnchorCoder.FromJson(File["idls"]!["legacy"]!.ToJsonString()),
    };

    private static IEnumerable<JsonNode> Vectors(string kind) =>
        File["vectors"]!.AsArray().Select(v => v!).Where(v => v["kind"]!.GetValue<string>() == kind);

    [Fact]
    public void the_two_idls_load_in_their_own_formats()
    {
        Coders["current"].Idl.Format.ShouldBe(IdlFormat.Anchor030);
        Coders["legacy"].Idl.Format.ShouldBe(IdlFormat.Legacy);
        Coders["legacy"].ProgramId.ShouldNotBeNull();
        var group = Coders["legacy"].Idl.Instructions[0].Accounts[1].ShouldBeOfType<IdlAccountGroup>();
        group.Accounts.Count.ShouldBe(2);
        ((IdlInstructionAccount)group.Accounts[0]).Writable.ShouldBeTrue();
        var currentGroup = Coders["current"].Idl.Instructions[0].Accounts[2].ShouldBeOfType<IdlAccountGroup>();
        ((IdlInstructionAccount)currentGroup.Accounts[1]).Optional.ShouldBeTrue();
        Coders["current"].Idl.Errors.Single().Code.ShouldBe(6000);
        Coders["current"].Idl.Constants.Single().Value.ShouldBe("100");
    }

    [Fact]
    public void legacy_instruction_names_become_anchors_snake_case()
    {
        foreach (var (camel, snake) in File["legacySnakeNames"]!.AsObject())
            Discriminators.SnakeCase(camel).ShouldBe(snake!.GetValue<string>());
    }

    [Fact]
    public void every_instruction_vector_decodes_to_anchors_values_and_encodes_back_to_the_same_bytes()
    {
        var count = 0;
        foreach (var v in Vectors("instruction"))
        {
            var (coder, name, bytes, value) = Parts(v);
            var decoded = coder.DecodeInstruction(bytes);
            decoded.Name.ShouldBe(name);
            decoded.Data.ShouldBeJson(value, $"{name} {v["hex"]}");
            coder.EncodeInstruction(name, value).ShouldBe(bytes, name);
            count++;
        }
        count.ShouldBeGreaterThan(30);
    }

    [Fact]
    public void every_event_vector_decodes_from_its_log_line_and_encodes_back_to_the_same_bytes()
    {
        var count = 0;
        foreach (var v in Vectors("event"))
        {
            var (coder, name, bytes, value) = Parts(v);
            var decoded = coder.DecodeEvent(bytes);
            decoded.Name.ShouldBe(name);
            decoded.Data.ShouldBeJson(value, name);
            coder.EncodeEvent(name, value).ShouldBe(bytes, name);

            List<string> logs =
            [
                $"Program {coder.ProgramId} invoke [1]", v["logLine"]!.GetValue<string>(), $"Program {coder.ProgramId} success",
            ];
            var ev = new AnchorEventParser(coder).ParseLogs(logs).ShouldHaveSingleItem();
            ev.Name.ShouldBe(name);
            ev.Data.ShouldBeJson(value);
            ev.Origin.ShouldBe(new AnchorEventOrigin.LogLine(1));
            count++;
        }
        count.ShouldBeGreaterThanOrEqualTo(18);
    }

    [Fact]
    public void every_account_vector_decodes_by_discriminator_and_encodes_back_to_the_same_bytes()
    {
        var count = 0;
        foreach (var v in Vectors("account"))
        {
            var (coder, name, bytes, value) = Parts(v);
            var decoded = coder.DecodeAccount(bytes);
            decoded.Name.ShouldBe(name);
            decoded.Data.ShouldBeJson(value, name);
            coder.DecodeAccount(name, bytes).ShouldBeJson(value);
            // Accounts are usually larger than their data: zero padding after the struct is fine.
            coder.DecodeAccount((byte[])[.. bytes, 0, 0, 0]).Data.ShouldBeJson(value);
            coder.EncodeAccount(name, value).ShouldBe(bytes, name);
            count++;
        }
        count.ShouldBeGreaterThanOrEqualTo(18);
    }

    [Fact]
    public void legacy_discriminators_come_from_the_sha256_rule()
    {
        var legacy = Coders["legacy"].Idl;
        legacy.Instructions.Single(i => i.Name == "setHTTPServerV2").Discriminator
            .ShouldBe(Discriminators.Of("global:set_http_server_v2"));
        legacy.Accounts.Single().Discriminator.ShouldBe(Discriminators.Of("account:VaultState"));
        legacy.Events.Single().Discriminator.ShouldBe(Discriminators.Of("event:VaultOpened"));
    }

    private static (AnchorCoder Coder, string Name, byte[] Bytes, JsonNode Value) Parts(JsonNode v) => (
        Coders[v["idl"]!.GetValue<string>()],
        v["name"]!.GetValue<string>(),
        Convert.FromHexString(v["hex"]!.GetValue<string>()),
        v["value"]!);
}
