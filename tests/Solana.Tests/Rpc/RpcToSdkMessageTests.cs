using IoNet.Solana.Keys;
using IoNet.Solana.Messages;
using IoNet.Solana.Rpc;
using static IoNet.Solana.Tests.Rpc.Fixtures;

namespace IoNet.Solana.Tests.Rpc;

/// <summary>The RPC model turned into SDK messages: every encoding ends as the same bytes, lookups resolve as the chain did.</summary>
public sealed class RpcToSdkMessageTests
{
    [Fact]
    public void the_v0_swap_becomes_a_v0_message_whose_resolved_keys_match_loaded_addresses()
    {
        var response = Transaction("getTransaction-json-v0-swap-loadedAddresses.json");
        var tx = response.Transaction!.ToTransaction(response.Version);

        tx.Message.Version.ShouldBe(MessageVersion.V0);
        tx.Message.AccountKeys.Count.ShouldBe(24);
        tx.Message.AddressTableLookups.Count.ShouldBe(3);
        (tx.Message.LoadedWritableCount, tx.Message.LoadedReadonlyCount).ShouldBe((13, 7));
        tx.Id.ToString().ShouldBe("4VhDRLUK5QDZ6kgN9PCeEoztUraCibwYA3XaLZUKhfwWxqeN96Qg7Ep4w2j5C1VtggbuU6dqkGczGC537byu9hG3");

        var loaded = response.Meta!.LoadedAddresses!;
        var keys = tx.Message.ResolveAccountKeys(
            loaded.Writable.Select(PublicKey.Parse).ToArray(), loaded.Readonly.Select(PublicKey.Parse).ToArray());
        keys.Count.ShouldBe(44);
        keys[24].ToString().ShouldBe("2wSq4BswujbEARh57hC227PkNo9eMyGCv8mYV9SN7myj");
        keys[37].ToString().ShouldBe("65fuZoZgftu7midti6tErqGriTQP7qCng7MbFcMCN8LA");
        keys[39].ToString().ShouldBe("whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc");
        tx.Message.IsWritable(24).ShouldBeTrue();
        tx.Message.IsWritable(37).ShouldBeFalse();
        tx.Message.IsSigner(0).ShouldBeTrue();

        // The wire form round-trips: bytes -> SDK -> bytes.
        var bytes = tx.Serialize(requireAllSignatures: false);
        IoNet.Solana.Transactions.Transaction.Deserialize(bytes).Serialize(requireAllSignatures: false).ShouldBe(bytes);
    }

    [Fact]
    public void the_failed_v0_swap_is_still_a_well_formed_v0_message()
    {
        var response = Transaction("getTransaction-json-v0-failed-swap-result-only.json");
        var tx = response.Transaction!.ToTransaction(response.Version);
        tx.Message.Version.ShouldBe(MessageVersion.V0);
        (tx.Message.AccountKeys.Count, tx.Message.LoadedWritableCount, tx.Message.LoadedReadonlyCount).ShouldBe((9, 9, 7));
        tx.Message.TotalAccountCount.ShouldBe(25);
    }

    [Fact]
    public void a_json_parsed_transaction_is_refused_with_a_clear_error()
    {
        var parsed = Transaction("getTransaction-jsonParsed-legacy-vote.json");
        Should.Throw<SolanaException>(() => parsed.Transaction!.ToTransaction(parsed.Version)).Message.ShouldContain("jsonParsed");
    }

    [Fact]
    public void the_json_parsed_vote_names_the_same_keys_roles_and_blockhash_as_the_wire_message()
    {
        var wire = Transaction("getTransaction-base64-legacy-vote.json").Transaction!.ToTransaction();
        var parsed = Transaction("getTransaction-jsonParsed-legacy-vote.json").Transaction!.Message!;
        parsed.AccountKeys.Select(k => k.Pubkey).ShouldBe(wire.Message.AccountKeys.Select(k => k.ToString()));
        for (var i = 0; i < parsed.AccountKeys.Count; i++)
        {
            parsed.AccountKeys[i].Signer.ShouldBe(wire.Message.IsSigner(i), $"signer {i}");
            parsed.AccountKeys[i].Writable.ShouldBe(wire.Message.IsWritable(i), $"writable {i}");
        }
        parsed.RecentBlockhash.ShouldBe(wire.Message.RecentBlockhash.ToString());
        parsed.Instructions.Select(i => i.ProgramId).ShouldBe(wire.Message.Instructions.Select(i => wire.Message.AccountKeys[i.ProgramIdIndex].ToString()));
    }
}
