using IoNet.Solana.Rpc;
using static IoNet.Solana.Tests.Rpc.Fixtures;

namespace IoNet.Solana.Tests.Rpc;

/// <summary>SOURCES.md §1: the same vote transaction in json, base64 and jsonParsed.</summary>
public sealed class VoteTransactionFixtureTests
{
    private const string Signature = "4zExa66hUSr28i2ma6EJwEsm3nZo4VFryEyRYE5Zrr4Q6dZpP1ctzsoMqUhLnp6iHGPp5MB722rZXRBKg927WXN9";

    [Fact]
    public void the_json_vote_transaction_has_its_slot_instruction_and_balances()
    {
        var tx = Transaction("getTransaction-json-legacy-vote.json");
        tx.Slot.ShouldBe(147558327UL);
        tx.BlockTime.ShouldBe(1661417105);
        tx.Version.ShouldBeNull();
        tx.Transaction!.Encoding.ShouldBe(TransactionEncoding.Json);
        tx.Transaction.Signatures.ShouldBe([Signature]);
        var message = tx.Transaction.Message!;
        (message.Header!.NumRequiredSignatures, message.Header.NumReadonlySignedAccounts, message.Header.NumReadonlyUnsignedAccounts).ShouldBe((1, 0, 3));
        message.AccountKeys.Count.ShouldBe(5);
        var ix = message.Instructions.ShouldHaveSingleItem();
        ix.ProgramIdIndex.ShouldBe(4);
        message.AccountKeys[4].Pubkey.ShouldBe(Vote);
        ix.Accounts.ShouldBe([1, 3, 2, 0]);
        var data = Data(ix);
        data.Length.ShouldBe(69);
        BitConverter.ToUInt32(data, 0).ShouldBe(2u);
        AssertVoteMeta(tx.Meta!);
    }

    [Fact]
    public void the_base64_vote_transaction_decodes_to_the_json_message()
    {
        var json = Transaction("getTransaction-json-legacy-vote.json");
        var b64 = Transaction("getTransaction-base64-legacy-vote.json");
        b64.Transaction!.Encoding.ShouldBe(TransactionEncoding.Base64);
        b64.Transaction.WireBytes!.Length.ShouldBe(338);
        var wire = WireTransaction.Decode(b64.Transaction.WireBytes);
        wire.Version.ShouldBeNull();
        WireMatchesJson(wire, json.Transaction!);
        MetaJson(b64.Meta!).ShouldBe(MetaJson(json.Meta!));
        AssertVoteMeta(b64.Meta!);
    }

    [Fact]
    public void the_json_parsed_vote_transaction_keeps_the_parsed_vote_and_key_roles()
    {
        var json = Transaction("getTransaction-json-legacy-vote.json");
        var parsed = Transaction("getTransaction-jsonParsed-legacy-vote.json");
        parsed.Transaction!.Encoding.ShouldBe(TransactionEncoding.JsonParsed);
        MetaJson(parsed.Meta!).ShouldBe(MetaJson(json.Meta!));
        var message = parsed.Transaction.Message!;
        message.Header.ShouldBeNull();
        message.AddressTableLookups.ShouldBeNull();
        message.AccountKeys.Select(k => k.Pubkey).ShouldBe(json.Transaction!.Message!.AccountKeys.Select(k => k.Pubkey));
        message.AccountKeys.ShouldAllBe(k => k.Source == null && k.Signer != null && k.Writable != null);
        message.AccountKeys[0].Signer.ShouldBe(true);
        message.AccountKeys[0].Writable.ShouldBe(true);
        message.AccountKeys[2].Writable.ShouldBe(false);
        message.RecentBlockhash.ShouldBe(json.Transaction.Message.RecentBlockhash);
        var ix = message.Instructions.ShouldHaveSingleItem();
        ix.Program.ShouldBe("vote");
        ix.ProgramId.ShouldBe(Vote);
        ix.ParsedType.ShouldBe("vote");
        var vote = ix.Parsed!.Value.GetProperty("info").GetProperty("vote");
        vote.GetProperty("slots").EnumerateArray().Select(e => e.GetUInt64()).ShouldBe([147558324UL, 147558325UL]);
        vote.GetProperty("timestamp").GetInt64().ShouldBe(1661417104);
        AssertVoteMeta(parsed.Meta!);
    }

    private static void AssertVoteMeta(TransactionMeta meta)
    {
        meta.Err.ShouldBeNull();
        meta.Status!.IsOk.ShouldBeTrue();
        meta.InnerInstructions.ShouldBeEmpty();
        meta.LogMessages!.Count.ShouldBe(2);
        meta.Fee.ShouldBe(5000UL);
        meta.PreBalances[0].ShouldBe(65966805251UL);
        meta.PostBalances[0].ShouldBe(65966800251UL);
        Changed(meta).ShouldBe([0]);
        meta.LoadedAddresses.ShouldNotBeNull();
        meta.LoadedAddresses.Writable.ShouldBeEmpty();
        meta.LoadedAddresses.Readonly.ShouldBeEmpty();
        meta.ComputeUnitsConsumed.ShouldBeNull();
    }

    internal static void WireMatchesJson(WireTransaction wire, EncodedTransaction json)
    {
        var m = json.Message!;
        wire.Signatures.ShouldBe(json.Signatures!);
        wire.Header.ShouldBe((m.Header!.NumRequiredSignatures, m.Header.NumReadonlySignedAccounts, m.Header.NumReadonlyUnsignedAccounts));
        wire.AccountKeys.ShouldBe(m.AccountKeys.Select(k => k.Pubkey));
        wire.RecentBlockhash.ShouldBe(m.RecentBlockhash);
        wire.Instructions.Count.ShouldBe(m.Instructions.Count);
        for (var i = 0; i < m.Instructions.Count; i++)
        {
            wire.Instructions[i].ProgramIdIndex.ShouldBe(m.Instructions[i].ProgramIdIndex!.Value);
            wire.Instructions[i].Accounts.ShouldBe(m.Instructions[i].Accounts!);
            wire.Instructions[i].Data.ShouldBe(Data(m.Instructions[i]));
        }
        var lookups = m.AddressTableLookups ?? [];
        wire.Lookups.Count.ShouldBe(lookups.Count);
        for (var i = 0; i < lookups.Count; i++)
        {
            wire.Lookups[i].Key.ShouldBe(lookups[i].AccountKey);
            wire.Lookups[i].Writable.ShouldBe(lookups[i].WritableIndexes);
            wire.Lookups[i].Readonly.ShouldBe(lookups[i].ReadonlyIndexes);
        }
    }
}
