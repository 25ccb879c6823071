using IoNet.Solana.Messages;
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
        b64.Transaction.ToTransaction(b64.Version).Message.Version.ShouldBe(MessageVersion.Legacy);
        WireMatchesJson(b64.Transaction, json.Transaction!, json.Version);
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

    /// <summary>The base64 bytes and the json message are the same transaction: identical wire bytes once decoded.</summary>
    internal static void WireMatchesJson(EncodedTransaction base64, EncodedTransaction json, TransactionVersion? version)
    {
        var fromWire = base64.ToTransaction(version);
        var fromJson = json.ToTransaction(version);
        fromJson.Serialize().ShouldBe(base64.WireBytes);
        fromWire.Message.Serialize().ShouldBe(fromJson.Message.Serialize());
        fromWire.Signatures.Select(sig => sig.ToString()).ShouldBe(json.Signatures!);
    }
}
