using IoNet.Solana.Rpc;
using static IoNet.Solana.Tests.Rpc.Fixtures;

namespace IoNet.Solana.Tests.Rpc;

/// <summary>SOURCES.md §2: one devnet block in json and base64.</summary>
public sealed class BlockFixtureTests
{
    private static readonly Block Json = RpcJson.ParseBlock(Bytes("getBlock-json.json"))!;
    private static readonly Block Base64 = RpcJson.ParseBlock(Bytes("getBlock-base64.json"))!;

    [Fact]
    public void the_block_header_fields_are_read()
    {
        foreach (var block in new[] { Json, Base64 })
        {
            block.ParentSlot.ShouldBe(147078734UL);
            block.BlockHeight.ShouldBe(139015678UL);
            block.BlockTime.ShouldBe(1657486664);
            block.Blockhash.ShouldBe("5idCC85iPqQMHWB9bCwcjbSfHakFgq6YXWFxL6w8xs9t");
            block.PreviousBlockhash.ShouldBe(Base64.PreviousBlockhash);
            block.Transactions!.Count.ShouldBe(25);
        }
    }

    [Fact]
    public void the_block_has_25_single_signer_legacy_transactions_none_failed_two_votes()
    {
        Json.Transactions!.ShouldAllBe(t => t.Transaction!.Signatures!.Count == 1 && t.Version == null && t.Meta!.Err == null);
        Json.Transactions!.Count(t => t.Transaction!.Message!.Instructions.Any(i => ProgramOf(t, i) == Vote)).ShouldBe(2);
    }

    [Fact]
    public void every_base64_wire_transaction_decodes_to_the_json_transaction_and_metas_are_identical()
    {
        for (var i = 0; i < 25; i++)
        {
            VoteTransactionFixtureTests.WireMatchesJson(Base64.Transactions![i].Transaction!, Json.Transactions![i].Transaction!, Json.Transactions[i].Version);
            MetaJson(Base64.Transactions[i].Meta!).ShouldBe(MetaJson(Json.Transactions[i].Meta!));
        }
    }

    [Fact]
    public void top_level_instructions_count_38_by_program()
    {
        var programs = Json.Transactions!.SelectMany(t => t.Transaction!.Message!.Instructions.Select(i => ProgramOf(t, i))).ToList();
        programs.Count.ShouldBe(38);
        int Count(string prefix) => programs.Count(p => p.StartsWith(prefix, StringComparison.Ordinal));
        Count("2TfB33aL").ShouldBe(18);
        Count("4skJ85cd").ShouldBe(8);
        Count("gSbePebf").ShouldBe(5);
        Count(Vote).ShouldBe(2);
        Count(ComputeBudget).ShouldBe(2);
        Count("STGhiM1Z").ShouldBe(1);
        Count("cjg3oHmg").ShouldBe(1);
        Count("Memo").ShouldBe(1);
    }

    [Fact]
    public void inner_instructions_are_13_in_9_transactions_11_token_transfers()
    {
        Json.Transactions!.Count(t => t.Meta!.InnerInstructions!.Count > 0).ShouldBe(9);
        var inner = Json.Transactions!.SelectMany(t => Inner(t.Meta!).Select(i => (Program: ProgramOf(t, i), Data: Data(i)))).ToList();
        inner.Count.ShouldBe(13);
        inner.Count(i => i.Program == Token && i.Data[0] == 3).ShouldBe(11);
        inner.Count(i => i.Program.StartsWith("STGxAk2t", StringComparison.Ordinal)).ShouldBe(1);
        inner.Count(i => i.Program.StartsWith("HEvSKofv", StringComparison.Ordinal)).ShouldBe(1);
        var all = inner.Concat(Json.Transactions!.SelectMany(t => t.Transaction!.Message!.Instructions.Select(i => (Program: ProgramOf(t, i), Data: Data(i)))));
        all.ShouldNotContain(i => i.Program == Token && i.Data.Length > 0 && (i.Data[0] == 7 || i.Data[0] == 8 || i.Data[0] == 14 || i.Data[0] == 15));
    }

    [Fact]
    public void token_balances_logs_rewards_and_meta_fields_match()
    {
        var txs = Json.Transactions!;
        txs.Count(t => t.Meta!.PreTokenBalances!.Count + t.Meta.PostTokenBalances!.Count > 0).ShouldBe(18);
        txs.Sum(t => t.Meta!.PreTokenBalances!.Count).ShouldBe(102);
        txs.SelectMany(t => t.Meta!.PreTokenBalances!.Concat(t.Meta.PostTokenBalances!)).ShouldAllBe(b => b.ProgramId != null);
        txs.Sum(t => t.Meta!.LogMessages!.Count(l => l.StartsWith("Program data: ", StringComparison.Ordinal))).ShouldBe(17);
        txs.ShouldAllBe(t => t.Meta!.Rewards!.Count == 0);
        txs.ShouldAllBe(t => t.Meta!.LoadedAddresses != null && t.Meta.LoadedAddresses.Writable.Count == 0 && t.Meta.LoadedAddresses.Readonly.Count == 0);
        txs.ShouldAllBe(t => t.Meta!.ComputeUnitsConsumed == null);

        var rewards = Json.Rewards!;
        rewards.Count.ShouldBe(7);
        rewards.Count(r => r.RewardType == "Rent").ShouldBe(6);
        rewards.Count(r => r.RewardType == "Fee").ShouldBe(1);
        rewards.ShouldAllBe(r => r.Commission == null);
        rewards.ShouldContain(r => r.RewardType == "Rent" && r.Lamports == -125);
        new[] { "dv1ZAG", "dv2eQH", "dv3qDF", "dv4ACN" }.ShouldAllBe(p => rewards.Any(r => r.Pubkey.StartsWith(p, StringComparison.Ordinal)));
    }

    private static string ProgramOf(BlockTransaction t, UiInstruction i) =>
        TransactionAccounts.ProgramIdOf(i, TransactionAccounts.Resolve(t.Transaction!.Message!, t.Meta));
}
