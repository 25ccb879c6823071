using IoNet.Solana.Rpc;
using static IoNet.Solana.Tests.Rpc.Fixtures;

namespace IoNet.Solana.Tests.Rpc;

/// <summary>SOURCES.md §3, §4, §5: v0 transactions with address lookup tables.</summary>
public sealed class V0TransactionFixtureTests
{
    private const string Jupiter = "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4";
    private const string Dlmm = "LBUZKhRxPF3XUpBCjp4YzTKgLccjZhTSDM9YuVaPwxo";

    [Fact]
    public void the_v0_swap_resolves_indexes_static_then_loaded_writable_then_loaded_readonly()
    {
        var tx = Transaction("getTransaction-json-v0-swap-loadedAddresses.json");
        tx.Transaction!.Signatures![0].ShouldBe("4VhDRLUK5QDZ6kgN9PCeEoztUraCibwYA3XaLZUKhfwWxqeN96Qg7Ep4w2j5C1VtggbuU6dqkGczGC537byu9hG3");
        tx.Slot.ShouldBe(338521977UL);
        tx.BlockTime.ShouldBe(1746657467);
        tx.Version.ShouldBe(TransactionVersion.V0);
        var m = tx.Transaction.Message!;
        var meta = tx.Meta!;
        m.AccountKeys.Count.ShouldBe(24);
        (m.Header!.NumRequiredSignatures, m.Header.NumReadonlySignedAccounts, m.Header.NumReadonlyUnsignedAccounts).ShouldBe((1, 0, 15));
        m.AddressTableLookups!.Select(l => (l.WritableIndexes.Count, l.ReadonlyIndexes.Count)).ShouldBe([(6, 3), (3, 1), (4, 3)]);
        meta.LoadedAddresses!.Writable.Count.ShouldBe(13);
        meta.LoadedAddresses.Readonly.Count.ShouldBe(7);
        meta.PreBalances.Count.ShouldBe(44);
        meta.PostBalances.Count.ShouldBe(44);

        var keys = TransactionAccounts.Resolve(m, meta);
        keys.Count.ShouldBe(44);
        keys[24].ShouldBe("2wSq4BswujbEARh57hC227PkNo9eMyGCv8mYV9SN7myj");
        keys[24].ShouldBe(meta.LoadedAddresses.Writable[0]);
        (Pre(meta, 24)!.UiTokenAmount.Amount, Post(meta, 24)!.UiTokenAmount.Amount).ShouldBe(("147715063282", "147713797837"));
        keys[37].ShouldBe("65fuZoZgftu7midti6tErqGriTQP7qCng7MbFcMCN8LA");
        keys[37].ShouldBe(meta.LoadedAddresses.Readonly[0]);
        keys[39].ShouldBe("whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc");
        keys[40].ShouldBe("SoLFiHG9TfgtdUXUjWAxi3LtvYuFyDLVhBWxdMZxyCe");
        keys[42].ShouldBe("obriQD1zbpyLz95G5n7nJe6a4DPjpFwa5XYPoNm113y");
        var all = m.Instructions.Concat(Inner(meta)).ToList();
        var invoked = all.Select(i => i.ProgramIdIndex!.Value).ToHashSet();
        invoked.ShouldContain(39);
        invoked.ShouldContain(40);
        invoked.ShouldContain(42);
        all.Max(i => Math.Max(i.ProgramIdIndex!.Value, i.Accounts!.DefaultIfEmpty(0).Max())).ShouldBe(43);
    }

    [Fact]
    public void the_v0_swap_has_9_top_level_and_18_inner_instructions_as_listed()
    {
        var tx = Transaction("getTransaction-json-v0-swap-loadedAddresses.json");
        var m = tx.Transaction!.Message!;
        var meta = tx.Meta!;
        var keys = TransactionAccounts.Resolve(m, meta);
        Func<UiInstruction, string> P = i => TransactionAccounts.ProgramIdOf(i, keys);

        m.Instructions.Count.ShouldBe(9);
        m.Instructions.ShouldAllBe(i => i.StackHeight == null);
        var top = m.Instructions.Select(P).ToList();
        top.Count(p => p.StartsWith("3i5JeuZu", StringComparison.Ordinal)).ShouldBe(1);
        top.Count(p => p == ComputeBudget).ShouldBe(2);
        top.Count(p => p == Ata).ShouldBe(3);
        m.Instructions.Where(i => P(i) == Ata).ShouldAllBe(i => Data(i).SequenceEqual(new byte[] { 1 }));
        top.Count(p => p == Jupiter).ShouldBe(1);
        var checkedTransfers = m.Instructions.Where(i => P(i) == Token).Select(Data).ToList();
        checkedTransfers.Select(d => (d[0], U64(d, 1), d[9])).ShouldBe([(12, 0UL, 6), (12, 437UL, 6)]);

        meta.InnerInstructions!.Select(g => (g.Index, g.Instructions.Count)).ShouldBe([(7, 4), (8, 14)]);
        Inner(meta).ShouldAllBe(i => i.StackHeight == 2 || i.StackHeight == 3);
        var g7 = meta.InnerInstructions![0].Instructions;
        (P(g7[0]), Data(g7[0])[0]).ShouldBe((Token, (byte)21));
        (P(g7[1]), BitConverter.ToUInt32(Data(g7[1]), 0)).ShouldBe((SystemProgram, 0u));
        (P(g7[2]), Data(g7[2])[0]).ShouldBe((Token, (byte)22));
        (P(g7[3]), Data(g7[3])[0]).ShouldBe((Token, (byte)18));

        var g8 = meta.InnerInstructions[1].Instructions;
        var transfers = g8.Where(i => P(i) == Token && Data(i)[0] == 3).ToList();
        transfers.Select(i => U64(Data(i), 1)).Order().ToArray().ShouldBe([49563UL, 49563, 543506, 543506, 1265445, 1265445, 3679489, 3679489]);
        var last = transfers[^1];
        (U64(Data(last), 1), last.StackHeight, last.Accounts![1]).ShouldBe((1265445UL, 2, 2));
        keys[2].ShouldStartWith("57umWGXv");
        g8.Select(i => i.ProgramIdIndex!.Value).ShouldContain(40);
        g8.Select(i => i.ProgramIdIndex!.Value).ShouldContain(42);
        g8.Select(i => i.ProgramIdIndex!.Value).ShouldContain(39);
        var events = g8.Where(i => P(i) == Jupiter && Data(i).Length == 128).ToList();
        events.Count.ShouldBe(3);
        events.ShouldAllBe(e => e.StackHeight == 2 && e.Accounts!.Count == 1 && keys[e.Accounts[0]].StartsWith("D8cy77BB", StringComparison.Ordinal));
        events.ShouldAllBe(e => Hex(Data(e), 8) == "e445a52e51cb9a1d");
        m.Instructions.Concat(Inner(meta)).Where(i => P(i) == Token).ShouldNotContain(i => Data(i)[0] == 7 || Data(i)[0] == 8 || Data(i)[0] == 14 || Data(i)[0] == 15);
    }

    [Fact]
    public void the_v0_swap_balances_return_data_and_logs_match()
    {
        var meta = Transaction("getTransaction-json-v0-swap-loadedAddresses.json").Meta!;
        meta.PreTokenBalances!.Count.ShouldBe(13);
        meta.PostTokenBalances!.Count.ShouldBe(14);
        Pre(meta, 2).ShouldBeNull();
        Post(meta, 2)!.UiTokenAmount.Amount.ShouldBe("1265445");
        Post(meta, 2)!.Owner!.ShouldStartWith("8VCfQcns");
        (Pre(meta, 4)!.UiTokenAmount.BaseUnits, Post(meta, 4)!.UiTokenAmount.BaseUnits).ShouldBe((133590UL, 83590UL));
        (Pre(meta, 3)!.UiTokenAmount.BaseUnits, Post(meta, 3)!.UiTokenAmount.BaseUnits).ShouldBe((30069UL, 30506UL));
        meta.Fee.ShouldBe(41876UL);
        Delta(meta, 0).ShouldBe(-2081156);
        Math.Abs(Delta(meta, 25)).ShouldBe(3679489);
        Math.Abs(Delta(meta, 36)).ShouldBe(3679489);
        (Delta(meta, 25) + Delta(meta, 36)).ShouldBe(0);
        meta.ComputeUnitsConsumed.ShouldBe(310639UL);
        meta.ReturnData!.ProgramId.ShouldBe(Jupiter);
        U64(meta.ReturnData.Data, 0).ShouldBe(1265445UL);
        meta.LogMessages!.Count.ShouldBe(107);
        var dataLine = meta.LogMessages!.Where(l => l.StartsWith("Program data: ", StringComparison.Ordinal)).ShouldHaveSingleItem();
        Hex(Convert.FromBase64String(dataLine["Program data: ".Length..]), 8).ShouldBe("e1ca49af932ba096");
        meta.LogMessages.Count(l => l.StartsWith("Program return: ", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public void a_failed_v0_swap_keeps_its_instruction_error_and_inner_transfers_that_took_no_effect()
    {
        var tx = Transaction("getTransaction-json-v0-failed-swap-result-only.json");
        tx.Slot.ShouldBe(326686187UL);
        tx.BlockTime.ShouldBe(1741949141);
        tx.Version.ShouldBe(TransactionVersion.V0);
        tx.Transaction!.Signatures![0].ShouldBe("58FymkjJUeSFGeEdaUQZbhHP5tdwwvbRR8BfKfuEgfYznqDqsApRBk8LCtiKny9EjQZBNi5NxGvLjR6F3gY6rxn1");
        var meta = tx.Meta!;
        meta.Succeeded.ShouldBeFalse();
        meta.Err!.Json.ShouldBe("""{"InstructionError":[2,{"Custom":6001}]}""");
        (meta.Err.Name, meta.Err.InstructionIndex, meta.Err.InstructionErrorName, meta.Err.CustomCode).ShouldBe(("InstructionError", 2, "Custom", 6001u));
        meta.Status!.Err!.Json.ShouldBe(meta.Err.Json);
        meta.LogMessages![^1].ShouldEndWith("failed: custom program error: 0x1771");

        var m = tx.Transaction.Message!;
        var keys = TransactionAccounts.Resolve(m, meta);
        Func<UiInstruction, string> P = i => TransactionAccounts.ProgramIdOf(i, keys);
        var group = meta.InnerInstructions.ShouldHaveSingleItem();
        group.Index.ShouldBe(2);
        group.Instructions.Count.ShouldBe(9);
        group.Instructions.ShouldAllBe(i => i.StackHeight == 2 || i.StackHeight == 3);
        var token = group.Instructions.Where(i => P(i) == Token).Select(Data).ToList();
        token.Where(d => d[0] == 3).Select(d => U64(d, 1)).ShouldBe([8250000000UL, 636581073564UL], ignoreOrder: true);
        token.Where(d => d[0] == 12).Select(d => (U64(d, 1), d[9])).ShouldBe([(636581073564UL, (byte)6), (8139273748UL, (byte)9)], ignoreOrder: true);
        meta.PreTokenBalances!.Count.ShouldBe(6);
        meta.PostTokenBalances!.Count.ShouldBe(6);
        meta.PreTokenBalances.ShouldAllBe(p => Post(meta, p.AccountIndex)!.UiTokenAmount.Amount == p.UiTokenAmount.Amount);
        Changed(meta).ShouldBe([0]);
        Delta(meta, 0).ShouldBe(-5146);
        meta.Fee.ShouldBe(5146UL);

        m.AccountKeys.Count.ShouldBe(9);
        m.AddressTableLookups!.Count.ShouldBe(2);
        (meta.LoadedAddresses!.Writable.Count, meta.LoadedAddresses.Readonly.Count).ShouldBe((9, 7));
        meta.PreBalances.Count.ShouldBe(25);
        keys[19].ShouldBe(Token);
        meta.LoadedAddresses.Readonly[1].ShouldBe(Token);
        keys[21].ShouldStartWith("675kPX9M");
        keys[22].ShouldBe(Dlmm);
        m.Instructions.Select(P).ShouldBe([ComputeBudget, ComputeBudget, Jupiter]);
        m.Instructions.ShouldAllBe(i => i.StackHeight == null);
        meta.ComputeUnitsConsumed.ShouldBe(104305UL);
        meta.PreTokenBalances.Concat(meta.PostTokenBalances).Where(b => b.UiTokenAmount.Amount == "0").ShouldAllBe(b => b.UiTokenAmount.UiAmount == null);
        meta.PreTokenBalances.Concat(meta.PostTokenBalances).ShouldContain(b => b.UiTokenAmount.Amount == "0");
    }

    [Fact]
    public void a_meta_only_document_parses_and_program_ids_resolve_into_both_loaded_lists()
    {
        var meta = RpcJson.ParseTransactionMeta(Bytes("getTransaction-json-v0-meta-only-cpi-anchor-event.json"))!;
        meta.PreBalances.Count.ShouldBe(20);
        (meta.LoadedAddresses!.Writable.Count, meta.LoadedAddresses.Readonly.Count).ShouldBe((7, 3));
        var staticCount = meta.PreBalances.Count - 10;
        staticCount.ShouldBe(10);
        string Loaded(int index) => index - staticCount < 7 ? meta.LoadedAddresses.Writable[index - staticCount] : meta.LoadedAddresses.Readonly[index - staticCount - 7];
        Loaded(16).ShouldBe(Dlmm);
        meta.LoadedAddresses.Writable[6].ShouldBe(Dlmm);
        Loaded(18).ShouldBe(Token);
        meta.LoadedAddresses.Readonly[1].ShouldBe(Token);
        meta.LogMessages!.Count(l => l.EndsWith(" invoke [1]", StringComparison.Ordinal)).ShouldBe(4);
        meta.LogMessages!.ShouldContain("Program 6m2CDdhRgxpH4WjvdzxAYbGxwdGUz5MziiL5jek2kBma invoke [1]");
        meta.LogMessages!.ShouldContain(l => l.Contains("Instruction: CommissionSplSwap2", StringComparison.Ordinal));

        var group = meta.InnerInstructions.ShouldHaveSingleItem();
        group.Index.ShouldBe(3);
        var ixs = group.Instructions;
        ixs.Count.ShouldBe(5);
        (ixs[0].ProgramIdIndex, ixs[0].StackHeight).ShouldBe((16, 2));
        void Checked(UiInstruction i, ulong amount, int height)
        {
            i.ProgramIdIndex.ShouldBe(18);
            var d = Data(i);
            (d[0], U64(d, 1), d[9], i.StackHeight).ShouldBe(((byte)12, amount, (byte)9, height));
        }
        Checked(ixs[1], 9372599925000, 3);
        Checked(ixs[2], 1700985700449, 3);
        (ixs[3].ProgramIdIndex, ixs[3].StackHeight).ShouldBe((16, 3));
        ixs[3].Accounts.ShouldBe([19]);
        Data(ixs[3]).Length.ShouldBe(145);
        Hex(Data(ixs[3]), 8).ShouldBe("e445a52e51cb9a1d");
        Checked(ixs[4], 80350075000, 2);

        var line = meta.LogMessages!.Where(l => l.StartsWith("Program data: ", StringComparison.Ordinal)).ShouldHaveSingleItem();
        line.ShouldBe("Program data: QMbN6CYIceINCDl9OoYIAABhAKYKjAEAAA==");
        var ev = Convert.FromBase64String(line["Program data: ".Length..]);
        ev.Length.ShouldBe(25);
        (Hex(ev, 8), ev[8], U64(ev, 9), U64(ev, 17)).ShouldBe(("40c6cde8260871e2", (byte)13, 9372599925000UL, 1700985700449UL));

        (Pre(meta, 1)!.UiTokenAmount.Amount, Post(meta, 1)!.UiTokenAmount.Amount).ShouldBe(("9452950000000", "0"));
        Post(meta, 1)!.UiTokenAmount.UiAmount.ShouldBeNull();
        long TokenDelta(int i) => (long)Post(meta, i)!.UiTokenAmount.BaseUnits - (long)(Pre(meta, i)?.UiTokenAmount.BaseUnits ?? 0);
        TokenDelta(2).ShouldBe(1700985700449);
        TokenDelta(4).ShouldBe(80350075000);
        TokenDelta(14).ShouldBe(-1700985700449);
        TokenDelta(15).ShouldBe(9372599925000);
        meta.Fee.ShouldBe(80000UL);
        Delta(meta, 0).ShouldBe(-80000);
        meta.ComputeUnitsConsumed.ShouldBe(123511UL);
    }
}
