using IoNet.Programs.AssociatedToken;
using IoNet.Programs.ComputeBudget;
using IoNet.Programs.Decoding;
using IoNet.Programs.Memo;
using IoNet.Programs.SystemProgram;
using IoNet.Programs.Token;
using IoNet.Solana.Rpc;
using IoNet.TestSupport;

namespace IoNet.Programs.Tests.Decoding;

/// <summary>Whole-transaction decoding of real recorded responses (tests/Fixtures/rpc; provenance in tests/Fixtures/README.md).</summary>
public sealed class TransactionDecoderFixtureTests
{
    private static DecodedTransaction Decode(string file) =>
        TransactionDecoder.Decode(RpcJson.ParseTransaction(File.ReadAllBytes(RepoPaths.FixtureFile("rpc", file)))!);

    [Fact]
    public void the_v0_swap_decodes_in_execution_order_with_lookup_keys_resolved()
    {
        var tx = Decode("getTransaction-json-v0-swap-loadedAddresses.json");
        tx.Succeeded.ShouldBeTrue();
        tx.AccountKeys.Count.ShouldBe(44);
        var top = tx.Instructions.Where(i => i.IsTopLevel).ToList();
        top.Count.ShouldBe(9);
        top.Select(i => i.Path).ShouldBe(["0", "1", "2", "3", "4", "5", "6", "7", "8"]);
        top.Count(i => i.Instruction is ComputeBudgetInstruction).ShouldBe(2);
        top.Count(i => i.Instruction is AssociatedTokenInstruction { Kind: AssociatedTokenInstructionKind.CreateIdempotent }).ShouldBe(3);
        top.OfType<DecodedInstruction>().Select(i => i.Instruction).OfType<TransferChecked>().Select(t => (t.Amount, t.Decimals))
            .ShouldBe([(0UL, (byte)6), (437UL, (byte)6)]);

        var inner = tx.Instructions.Where(i => !i.IsTopLevel).ToList();
        inner.Count.ShouldBe(18);
        inner.Count(i => i.Path.StartsWith("7.", StringComparison.Ordinal)).ShouldBe(4);
        inner.Select(i => i.Instruction).OfType<IoNet.Programs.Token.Transfer>().Select(t => t.Amount).Order()
            .ShouldBe(new ulong[] { 49563, 49563, 543506, 543506, 1265445, 1265445, 3679489, 3679489 });
        inner.Select(i => i.Instruction).OfType<InitializeAccount3>().ShouldHaveSingleItem();
        inner.Select(i => i.Instruction).OfType<InitializeImmutableOwner>().ShouldHaveSingleItem();
        inner.Select(i => i.Instruction).OfType<GetAccountDataSize>().ShouldHaveSingleItem();
        inner.Select(i => i.Instruction).OfType<CreateAccount>().ShouldHaveSingleItem();
        inner.ShouldAllBe(i => i.StackHeight == 2 || i.StackHeight == 3);
        // The three invoked programs that exist only as loaded addresses are resolved.
        inner.Select(i => i.ProgramId.ToString()).ShouldContain("whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc");
        inner.Count(i => i.Instruction is UnknownInstruction u && u.Data.Length == 128 && u.Data.Span[0] == 0xe4).ShouldBe(3);
    }

    [Fact]
    public void a_failed_transaction_still_decodes_and_says_it_failed()
    {
        var tx = Decode("getTransaction-json-v0-failed-swap-result-only.json");
        tx.Succeeded.ShouldBeFalse();
        tx.Error.ShouldNotBeNull().ShouldContain("6001");
        tx.Instructions.Count(i => !i.IsTopLevel).ShouldBe(9);
        tx.Instructions.First(i => i.Path == "0").Instruction.ShouldBeOfType<ComputeBudgetInstruction>();
    }

    [Fact]
    public void the_nft_sale_shows_create_with_empty_data_then_init_transfer_and_close()
    {
        var tx = Decode("getTransaction-json-legacy-ata-create-closeAccount-result-only.json");
        var inner = tx.Instructions.Where(i => i.Path.StartsWith("1.", StringComparison.Ordinal)).Select(i => i.Instruction).ToList();
        inner.Count.ShouldBe(9);
        inner.Take(4).OfType<SystemTransfer>().Select(t => t.Lamports).ShouldBe([53750000UL, 53750000UL, 43000000UL, 1999500000UL]);
        inner[4].ShouldBeOfType<AssociatedTokenInstruction>().Kind.ShouldBe(AssociatedTokenInstructionKind.Create);
        inner[5].ShouldBeOfType<CreateAccount>().ShouldSatisfyAllConditions(c => c.Lamports.ShouldBe(2039280UL), c => c.Space.ShouldBe(165UL));
        inner[6].ShouldBeOfType<InitializeAccount3>();
        inner[7].ShouldBeOfType<IoNet.Programs.Token.Transfer>().Amount.ShouldBe(1UL);
        inner[8].ShouldBeOfType<CloseAccount>();
    }

    [Fact]
    public void every_block_transaction_decodes_without_an_exception_and_the_memo_is_read()
    {
        var block = RpcJson.ParseBlock(File.ReadAllBytes(RepoPaths.FixtureFile("rpc", "getBlock-json.json")))!;
        var decoded = block.Transactions!.Select(t => TransactionDecoder.Decode(new TransactionResponse
        {
            Slot = 0, Transaction = t.Transaction, Meta = t.Meta, Version = t.Version,
        })).ToList();
        decoded.Count.ShouldBe(25);
        decoded.SelectMany(d => d.Instructions).Count(i => i.IsTopLevel).ShouldBe(38);
        decoded.SelectMany(d => d.Instructions).Count(i => !i.IsTopLevel).ShouldBe(13);
        decoded.SelectMany(d => d.Instructions).Select(i => i.Instruction).OfType<MemoInstruction>().ShouldHaveSingleItem();
        decoded.SelectMany(d => d.Instructions).Where(i => !i.IsTopLevel).Select(i => i.Instruction).OfType<IoNet.Programs.Token.Transfer>().Count().ShouldBe(11);
    }
}
