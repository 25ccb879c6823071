using System.Text.Json;
using IoNet.Solana.Rpc;
using static IoNet.Solana.Tests.Rpc.Fixtures;

namespace IoNet.Solana.Tests.Rpc;

/// <summary>SOURCES.md §6 to §11: legacy transactions in json and jsonParsed, and getSignaturesForAddress.</summary>
public sealed class LegacyTransactionFixtureTests
{
    private static JsonElement Info(UiInstruction i) => i.Parsed!.Value.GetProperty("info");

    [Fact]
    public void a_parsed_inner_burn_keeps_its_plain_amount_and_the_zero_balance_has_null_ui_amount()
    {
        var tx = Transaction("getTransaction-jsonParsed-legacy-inner-burn-result-only.json");
        tx.Transaction!.Signatures!.ShouldBe([
            "2XaL2jqiFM69nRGSu3Zxbj955e4cjWT8EduKuXUEsGCXW8zrPiznNS9bpgdNbe1YBGVVRDB9ei9c4swYu2RiGaZ4",
            "3tJWgW5f11Bt1utGvmzBwZgYYP5hzkBvceAyoieR6FL1zAEU3hMie92w1pok1BP9GD23MvfJjAenBaRHmS8kmiA6"]);
        (tx.Slot, tx.BlockTime, tx.Version).ShouldBe((159814698UL, (long?)1667836100, (TransactionVersion?)null));
        var m = tx.Transaction.Message!;
        m.Instructions.Count.ShouldBe(2);
        var create = m.Instructions[0];
        (create.Program, create.ParsedType, create.ProgramId).ShouldBe(("system", "createAccount", SystemProgram));
        Info(create).GetProperty("lamports").GetUInt64().ShouldBe(1503360UL);
        Info(create).GetProperty("space").GetUInt64().ShouldBe(88UL);
        Info(create).GetProperty("owner").GetString().ShouldBe("MarBmsSgKXdrN1egZf5sqe1TMai9K1rChYNDJgjq7aD");
        var marinade = m.Instructions[1];
        marinade.IsParsed.ShouldBeFalse();
        marinade.ProgramId.ShouldBe("MarBmsSgKXdrN1egZf5sqe1TMai9K1rChYNDJgjq7aD");
        marinade.AccountAddresses!.Count.ShouldBe(8);
        marinade.Accounts.ShouldBeNull();
        marinade.Data.ShouldBe("D4QoZ9QytqaDY8CFubkmeP");
        var data = Data(marinade);
        (Hex(data, 8), U64(data, 8)).ShouldBe(("61a7906b75be8024", 1165171360UL));

        var meta = tx.Meta!;
        var group = meta.InnerInstructions.ShouldHaveSingleItem();
        group.Index.ShouldBe(1);
        var burn = group.Instructions.ShouldHaveSingleItem();
        (burn.Program, burn.ProgramId, burn.ParsedType).ShouldBe(("spl-token", Token, "burn"));
        Info(burn).GetProperty("amount").GetString().ShouldBe("1165171360");
        Info(burn).GetProperty("mint").GetString().ShouldBe("mSoLzYCxHdYgdzU16g5QSh3i5K3z3KZK7ytfqcJm7So");
        Info(burn).GetProperty("account").GetString()!.ShouldStartWith("751t72jf");
        Info(burn).GetProperty("authority").GetString()!.ShouldStartWith("BbAHp6ru");
        Info(burn).TryGetProperty("tokenAmount", out _).ShouldBeFalse();
        meta.LogMessages!.ShouldContain("Program log: Instruction: Burn");

        var pre = Pre(meta, 2)!;
        var post = Post(meta, 2)!;
        (pre.UiTokenAmount.Amount, pre.UiTokenAmount.Decimals, post.UiTokenAmount.Amount).ShouldBe(("1165171360", (byte)9, "0"));
        post.UiTokenAmount.UiAmount.ShouldBeNull();
        post.UiTokenAmount.UiAmountString.ShouldBe("0");
        m.Instructions.Concat(Inner(meta)).ShouldAllBe(i => i.StackHeight == null);
        m.AddressTableLookups.ShouldBeNull();
        m.AccountKeys.ShouldAllBe(k => k.Source == "transaction" && k.Signer != null && k.Writable != null);
        meta.LoadedAddresses.ShouldBeNull();
        meta.ComputeUnitsConsumed.ShouldBeNull();
        meta.Fee.ShouldBe(10000UL);
        Delta(meta, 0).ShouldBe(-1513360);
        Delta(meta, 1).ShouldBe(1503360);
    }

    [Fact]
    public void a_parsed_inner_mint_to_keeps_mint_authority_and_the_legacy_version_string()
    {
        var tx = Transaction("getTransaction-jsonParsed-legacy-inner-mintTo-result-only.json");
        tx.Transaction!.Signatures![0].ShouldBe("64QzPJWyEshDCMatvSDuNmvndNzn3TJyyAMSmrLMQdbGJAEwmeVM19oNwY9KiS24jvaxNCqEhv33cL4BbmxnXPTf");
        (tx.Slot, tx.BlockTime).ShouldBe((160314338UL, (long?)1668090825));
        tx.Version.ShouldBe(TransactionVersion.Legacy);
        tx.Version!.Value.IsLegacy.ShouldBeTrue();
        var m = tx.Transaction.Message!;
        m.Instructions.Count.ShouldBe(3);
        m.Instructions.ShouldAllBe(i => i.ProgramId == "JUP3c2Uh3WA4Ng34tw6kPd2G4C5BB21Xo36Je1s32Ph" && !i.IsParsed && i.Data != null);
        var meta = tx.Meta!;
        meta.InnerInstructions!.Select(g => (g.Index, g.Instructions.Count)).ShouldBe([(1, 4), (2, 6)]);
        string Kind(UiInstruction i) => i.IsParsed ? $"{i.Program}:{i.ParsedType}" : "raw";
        string Amount(UiInstruction i) => Info(i).GetProperty(i.Program == "system" ? "lamports" : "amount").ToString();
        var g1 = meta.InnerInstructions![0].Instructions;
        g1.Select(Kind).ShouldBe(["raw", "spl-token:transfer", "spl-token:mintTo", "spl-token:transfer"]);
        g1[0].ProgramId!.ShouldStartWith("CURVGoZn");
        (Amount(g1[1]), Amount(g1[3])).ShouldBe(("80000000000", "81146691474"));
        var mintTo = Info(g1[2]);
        mintTo.GetProperty("amount").GetString().ShouldBe("28313");
        mintTo.GetProperty("mint").GetString().ShouldBe("CCJ73enCHai27dS79uhqMYMGoehVQsP1YECyDq9xvyt9");
        mintTo.GetProperty("account").GetString()!.ShouldStartWith("7sb4tQXX");
        mintTo.GetProperty("mintAuthority").GetString()!.ShouldStartWith("DiZy5F8f");
        mintTo.TryGetProperty("authority", out _).ShouldBeFalse();
        var g2 = meta.InnerInstructions[1].Instructions;
        g2.Select(Kind).ShouldBe(["raw", "system:transfer", "spl-token:transfer", "spl-token:transfer", "system:transfer", "spl-token:syncNative"]);
        g2[0].ProgramId.ShouldBe("MarBmsSgKXdrN1egZf5sqe1TMai9K1rChYNDJgjq7aD");
        g2.Skip(1).Take(4).Select(Amount).ShouldBe(["84632280588", "79961949779", "1184741695", "84632280588"]);

        meta.PreTokenBalances!.Count.ShouldBe(7);
        meta.PostTokenBalances!.Count.ShouldBe(7);
        var pre = Pre(meta, 3)!;
        (pre.Mint, pre.UiTokenAmount.Decimals, pre.UiTokenAmount.BaseUnits, Post(meta, 3)!.UiTokenAmount.BaseUnits)
            .ShouldBe(("CCJ73enCHai27dS79uhqMYMGoehVQsP1YECyDq9xvyt9", (byte)0, 48403873UL, 48432186UL));
        m.AddressTableLookups.ShouldBeNull();
        m.AccountKeys.Count.ShouldBe(22);
        m.AccountKeys.Count(k => k.Signer == true).ShouldBe(1);
        m.AccountKeys.Count(k => k.Writable == true).ShouldBe(14);
        m.Instructions.Concat(Inner(meta)).ShouldAllBe(i => i.StackHeight == null);
        meta.ComputeUnitsConsumed.ShouldBeNull();
        meta.Fee.ShouldBe(5000UL);
        Changed(meta).Select(i => (i, Delta(meta, i))).ShouldBe([(0, -5000L), (6, 4632280588L), (9, 80000000000L), (12, -84632280588L)]);
    }

    [Fact]
    public void a_token_2022_burn_checked_is_told_apart_by_program_id_and_a_memo_parsed_as_a_plain_string()
    {
        var tx = Transaction("getTransaction-jsonParsed-legacy-token2022-burnChecked.json");
        tx.Transaction!.Signatures![0].ShouldBe("5FHvSDvAmsUnyBRurtsJ3RjMz45CtqUjBP5FvQBQiXBCHfXwb3xqP7cBXGnuDepeGwCR8cE51NJVZY2GHms4GG1Z");
        (tx.Slot, tx.BlockTime, tx.Version).ShouldBe((314771079UL, (long?)1722149061, (TransactionVersion?)null));
        var m = tx.Transaction.Message!;
        m.Instructions.Count.ShouldBe(2);
        m.Instructions.ShouldAllBe(i => i.StackHeight == null);
        var memo = m.Instructions[0];
        memo.ProgramId!.ShouldStartWith("MemoSq4g");
        memo.Program.ShouldBe("spl-memo");
        memo.Parsed!.Value.ValueKind.ShouldBe(JsonValueKind.String);
        memo.Parsed.Value.GetString().ShouldBe("3gghk7mHWtFsJcg6EZGK7sbHj3qW6ExUdZLs9q8GRjia");
        memo.ParsedType.ShouldBeNull();
        var burn = m.Instructions[1];
        (burn.Program, burn.ProgramId, burn.ParsedType).ShouldBe(("spl-token", Token2022, "burnChecked"));
        var info = Info(burn);
        info.GetProperty("mint").GetString().ShouldBe("AN2n5RYpqH9FfgD5zHFZS2wkezPTAhrukbPYvbx4ZEAj");
        info.GetProperty("account").GetString()!.ShouldStartWith("D58qMHmD");
        info.GetProperty("authority").GetString()!.ShouldStartWith("3gghk7mH");
        info.GetProperty("tokenAmount").GetProperty("amount").GetString().ShouldBe("10000000000");
        info.GetProperty("tokenAmount").GetProperty("decimals").GetInt32().ShouldBe(9);
        var meta = tx.Meta!;
        meta.InnerInstructions.ShouldBeEmpty();
        (Pre(meta, 2)!.UiTokenAmount.BaseUnits, Post(meta, 2)!.UiTokenAmount.BaseUnits).ShouldBe((100000000000UL, 90000000000UL));
        Pre(meta, 2)!.ProgramId.ShouldBe(Token2022);
        Post(meta, 2)!.UiTokenAmount.UiAmount.ShouldBe(90.0);
        meta.LogMessages!.ShouldContain(l => l.StartsWith("Program log: Memo (len 44): \"", StringComparison.Ordinal) && l.EndsWith('"'));
        meta.ComputeUnitsConsumed.ShouldBe(36589UL);
        meta.LoadedAddresses.ShouldBeNull();
        m.AddressTableLookups.ShouldBeNull();
        m.AccountKeys.ShouldAllBe(k => k.Source == "transaction");
        meta.Fee.ShouldBe(5000UL);
        Changed(meta).ShouldBe([0]);
        Delta(meta, 0).ShouldBe(-5000);
    }

    [Fact]
    public void a_string_transaction_error_is_kept_and_the_failed_transaction_still_pays_its_fee()
    {
        var tx = Transaction("getTransaction-json-legacy-failed-InvalidRentPayingAccount.json");
        tx.Transaction!.Signatures!.ShouldBe([
            "3Q9mu4ePvtbtQzY1kpGmaViJKyBev6hgUppyXDF9hKgWHHnecwGLE2pSoFvNUF3h7acKyFwWd65bkwr9A1jN2CdT",
            "c9mVsH3N6NjC5QcBP3SFuuvYUYUjuFdVLuQMYces5ffksdodLiRc9GKHEj6TUNFNtYbCFQc8aeY2AMBSNVnmJS7"]);
        (tx.Slot, tx.BlockTime, tx.Version).ShouldBe((132196637UL, (long?)1651763621, (TransactionVersion?)null));
        var meta = tx.Meta!;
        meta.Err!.Json.ShouldBe("\"InvalidRentPayingAccount\"");
        (meta.Err.Name, meta.Err.InstructionIndex, meta.Err.CustomCode).ShouldBe(("InvalidRentPayingAccount", (int?)null, (uint?)null));
        meta.Status!.Err!.Name.ShouldBe("InvalidRentPayingAccount");
        var m = tx.Transaction.Message!;
        var keys = TransactionAccounts.Resolve(m, meta);
        Func<UiInstruction, string> P = i => TransactionAccounts.ProgramIdOf(i, keys);
        m.Instructions.Select(P).ShouldBe([SystemProgram, "GovER5Lthms3bLBqWub97yVrMmEogzX7xNjdXpPPCVZw", "GovER5Lthms3bLBqWub97yVrMmEogzX7xNjdXpPPCVZw"]);
        var create = Data(m.Instructions[0]);
        (BitConverter.ToUInt32(create, 0), U64(create, 4), U64(create, 12)).ShouldBe((0u, 9938880UL, 1500UL));
        meta.InnerInstructions!.Select(g => g.Index).ShouldBe([1, 2]);
        Inner(meta).Count().ShouldBe(2);
        Inner(meta).ShouldAllBe(i => P(i) == SystemProgram && BitConverter.ToUInt32(Data(i), 0) == 0 && i.StackHeight == null);
        meta.Fee.ShouldBe(10000UL);
        (meta.PreBalances[0], meta.PostBalances[0]).ShouldBe((9342519480UL, 9342509480UL));
        Changed(meta).ShouldBe([0]);
        meta.PreTokenBalances.ShouldBeEmpty();
        meta.PostTokenBalances.ShouldBeEmpty();
        meta.Rewards.ShouldBeEmpty();
        meta.LoadedAddresses.ShouldBeNull();
    }

    [Fact]
    public void an_ata_create_with_empty_data_and_a_closed_account_vanishing_from_post_balances()
    {
        var tx = Transaction("getTransaction-json-legacy-ata-create-closeAccount-result-only.json");
        tx.Transaction!.Signatures![0].ShouldBe("3Mhp6cAfmzmztNKPFR1nJJYuhH1FNnKfDpCN5VM6YJnHsqkMCxqCx7VrBwvXPKRXVVS5MLX5mPaWgjPQXM8kHNM4");
        (tx.Slot, tx.BlockTime, tx.Version).ShouldBe((130540734UL, (long?)1650447951, (TransactionVersion?)null));
        var m = tx.Transaction.Message!;
        var meta = tx.Meta!;
        var keys = TransactionAccounts.Resolve(m, meta);
        Func<UiInstruction, string> P = i => TransactionAccounts.ProgramIdOf(i, keys);
        m.Instructions.Select(P).ShouldBe(["M2mx93ekt1fmXSVkTrUL9xVFHkmME8HTUi5Cyc5aF7K", "M2mx93ekt1fmXSVkTrUL9xVFHkmME8HTUi5Cyc5aF7K"]);
        var group = meta.InnerInstructions.ShouldHaveSingleItem();
        group.Index.ShouldBe(1);
        var ixs = group.Instructions;
        ixs.Count.ShouldBe(9);
        ixs.Take(4).ShouldAllBe(i => P(i) == SystemProgram && BitConverter.ToUInt32(Data(i), 0) == 2);
        ixs.Take(4).Select(i => U64(Data(i), 4)).ShouldBe([53750000UL, 53750000, 43000000, 1999500000]);
        (P(ixs[4]), ixs[4].Data).ShouldBe((Ata, ""));
        Data(ixs[4]).ShouldBeEmpty();
        var create = Data(ixs[5]);
        (P(ixs[5]), BitConverter.ToUInt32(create, 0), U64(create, 4), U64(create, 12)).ShouldBe((SystemProgram, 0u, 2039280UL, 165UL));
        (P(ixs[6]), Data(ixs[6])[0]).ShouldBe((Token, (byte)18));
        (P(ixs[7]), Data(ixs[7])[0], U64(Data(ixs[7]), 1)).ShouldBe((Token, (byte)3, 1UL));
        (P(ixs[8]), ixs[8].Data).ShouldBe((Token, "A"));
        Data(ixs[8]).ShouldBe(new byte[] { 9 });

        meta.PreTokenBalances!.Concat(meta.PostTokenBalances!).ShouldAllBe(b => b.ProgramId == null);
        Pre(meta, 1)!.UiTokenAmount.Amount.ShouldBe("1");
        Pre(meta, 1)!.UiTokenAmount.UiAmount.ShouldBe(1.0);
        Post(meta, 1).ShouldBeNull();
        Pre(meta, 6).ShouldBeNull();
        Post(meta, 6).ShouldNotBeNull();
        meta.LoadedAddresses.ShouldBeNull();
        m.Instructions.Concat(Inner(meta)).ShouldAllBe(i => i.StackHeight == null);
        meta.ComputeUnitsConsumed.ShouldBeNull();
        meta.Fee.ShouldBe(5000UL);
    }

    [Fact]
    public void signatures_for_address_come_newest_first_with_all_fields()
    {
        var list = RpcJson.ParseSignatures(Bytes("getSignaturesForAddress.json"))!;
        list.Select(s => s.Slot).ShouldBe([68710495UL, 66979017, 62482980]);
        list.Select(s => s.BlockTime).ShouldBe([1616245823L, 1615234539, 1612818924]);
        list.ShouldAllBe(s => s.ConfirmationStatus == Commitment.Finalized && s.Err == null && s.Memo == null);
        list[0].Signature.ShouldBe("5Jofwx5JcPT1dMsgo6DkyT6x61X5chS9K7hM7huGKAnUq8xxHwGKuDnnZmPGoapWVZcN4cPvQtGNCicnWZfPHowr");
        list[1].Signature.ShouldStartWith("2Y8fUdkv");
        list[2].Signature.ShouldStartWith("3TVD8hze");
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void every_fixture_parses_into_the_typed_model(string name)
    {
        var bytes = Bytes(name);
        object? parsed = name switch
        {
            _ when name.StartsWith("getBlock", StringComparison.Ordinal) => RpcJson.ParseBlock(bytes),
            _ when name.StartsWith("getSignatures", StringComparison.Ordinal) => RpcJson.ParseSignatures(bytes),
            _ when name.Contains("meta-only", StringComparison.Ordinal) => RpcJson.ParseTransactionMeta(bytes),
            _ => RpcJson.ParseTransaction(bytes),
        };
        parsed.ShouldNotBeNull();
    }

    public static TheoryData<string> FixtureNames() => new(Fixtures.All);
}
