using System.Globalization;
using System.Text.Json.Nodes;
using IoNet.Programs.AddressLookupTable;
using IoNet.Programs.Decoding;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;
using IoNet.TestSupport;

namespace IoNet.Programs.Tests.AddressLookupTable;

/// <summary>Vectors/alt-instructions.json, made by localnet/scripts/alt-vectors.mjs with @solana/web3.js 1.98.4's AddressLookupTableProgram.</summary>
public sealed class AddressLookupTableVectorTests
{
    private static readonly JsonNode File = JsonNode.Parse(System.IO.File.ReadAllText(
        RepoPaths.RepoFile("tests", "Programs.Client.Tests", "Vectors", "alt-instructions.json")))!;

    private static IEnumerable<JsonNode> Cases(string kind) => File["cases"]!.AsArray().Select(c => c!).Where(c => (string)c["kind"]! == kind);

    private static PublicKey Key(JsonNode? node) => PublicKey.Parse((string)node!);

    private static void Same(TransactionInstruction built, JsonNode expected)
    {
        built.ProgramId.ToString().ShouldBe((string)expected["programId"]!);
        var keys = expected["keys"]!.AsArray();
        built.Accounts.Count.ShouldBe(keys.Count);
        for (var i = 0; i < keys.Count; i++)
            built.Accounts[i].ShouldBe(new AccountMeta(Key(keys[i]!["pubkey"]), (bool)keys[i]!["isSigner"]!, (bool)keys[i]!["isWritable"]!));
        Convert.ToHexStringLower(built.Data.ToArray()).ShouldBe((string)expected["data"]!);
    }

    [Fact]
    public void the_vectors_cover_every_instruction()
    {
        foreach (var kind in new[] { "create", "extend", "freeze", "deactivate", "close" })
            Cases(kind).ShouldNotBeEmpty(kind);
        ((string)File["generator"]!).ShouldStartWith("@solana/web3.js 1.98.4");
    }

    [Fact]
    public void create_derives_the_same_table_address_and_bump_and_bytes_as_web3js()
    {
        foreach (var c in Cases("create"))
        {
            var slot = ulong.Parse((string)c["recentSlot"]!, CultureInfo.InvariantCulture);
            var ix = CreateLookupTable.For(Key(c["authority"]), Key(c["payer"]), slot);
            ix.Table.ToString().ShouldBe((string)c["address"]!);
            ix.Bump.ShouldBe((byte)(int)c["bump"]!);
            AddressLookupTableInstruction.FindAddress(Key(c["authority"]), slot).ShouldBe((ix.Table, ix.Bump));
            var built = ix.Build();
            Same(built, c["instruction"]!);
            AddressLookupTableInstruction.Decode(built.Accounts, built.Data.ToArray()).ShouldBe(ix);
        }
    }

    [Fact]
    public void extend_with_and_without_payer_matches_web3js()
    {
        foreach (var c in Cases("extend"))
        {
            var payer = c["payer"] is null ? (PublicKey?)null : Key(c["payer"]);
            var ix = new ExtendLookupTable(Key(c["lookupTable"]), Key(c["authority"]), payer, c["addresses"]!.AsArray().Select(Key).ToArray());
            var built = ix.Build();
            Same(built, c["instruction"]!);
            AddressLookupTableInstruction.Decode(built.Accounts, built.Data.ToArray()).ShouldBe(ix);
        }
    }

    [Fact]
    public void freeze_deactivate_and_close_match_web3js()
    {
        var freeze = Cases("freeze").Single();
        Same(new FreezeLookupTable(Key(freeze["lookupTable"]), Key(freeze["authority"])).Build(), freeze["instruction"]!);
        var deactivate = Cases("deactivate").Single();
        Same(new DeactivateLookupTable(Key(deactivate["lookupTable"]), Key(deactivate["authority"])).Build(), deactivate["instruction"]!);
        var close = Cases("close").Single();
        var ix = new CloseLookupTable(Key(close["lookupTable"]), Key(close["authority"]), Key(close["recipient"]));
        var built = ix.Build();
        Same(built, close["instruction"]!);
        AddressLookupTableInstruction.Decode(built.Accounts, built.Data.ToArray()).ShouldBe(ix);
    }

    [Fact]
    public void account_data_decodes_as_web3js_reads_it()
    {
        foreach (var a in File["accounts"]!.AsArray().Select(a => a!))
        {
            var state = AddressLookupTableState.Decode(Convert.FromHexString((string)a["data"]!));
            state.DeactivationSlot.ShouldBe(ulong.Parse((string)a["deactivationSlot"]!, CultureInfo.InvariantCulture));
            state.LastExtendedSlot.ShouldBe(ulong.Parse((string)a["lastExtendedSlot"]!, CultureInfo.InvariantCulture));
            state.LastExtendedSlotStartIndex.ShouldBe((byte)(int)a["lastExtendedSlotStartIndex"]!);
            state.Authority?.ToString().ShouldBe((string?)a["authority"]);
            (state.Authority is null).ShouldBe(a["authority"] is null);
            state.Addresses.Select(k => k.ToString()).ShouldBe(a["addresses"]!.AsArray().Select(k => (string)k!));
            state.IsActive.ShouldBe(state.DeactivationSlot == ulong.MaxValue);
        }
    }

    [Fact]
    public void malformed_account_data_is_refused()
    {
        Should.Throw<ProgramDecodeException>(() => AddressLookupTableState.Decode(new byte[55]));
        Should.Throw<ProgramDecodeException>(() => AddressLookupTableState.Decode(new byte[56 + 31]));
        Should.Throw<ProgramDecodeException>(() => AddressLookupTableState.Decode(new byte[56])); // type 0: uninitialized
        var data = new byte[56];
        data[0] = 1;
        data[21] = 2; // neither None nor Some
        Should.Throw<ProgramDecodeException>(() => AddressLookupTableState.Decode(data));
        Should.Throw<ProgramDecodeException>(() => AddressLookupTableInstruction.Decode([], [9, 0, 0, 0]));
    }
}
