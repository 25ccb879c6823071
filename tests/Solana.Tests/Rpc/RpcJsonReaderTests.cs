using System.Text;
using System.Text.Json;
using IoNet.Solana.Rpc;

namespace IoNet.Solana.Tests.Rpc;

/// <summary>Edge cases of the hand-written transaction readers (the fixtures cover the common shapes).</summary>
public sealed class RpcJsonReaderTests
{
    [Fact]
    public void escaped_property_names_and_unknown_properties_are_read_like_plain_ones()
    {
        var tx = RpcJson.ParseTransaction("""{"jsonrpc":"2.0","result":{"sl\u006ft":5,"extra":{"a":[1,2]},"meta":{"fee":7,"preBalances":[1],"postBalances":[2]},"transaction":null},"id":1}"""u8)!;
        tx.Slot.ShouldBe(5UL);
        tx.Meta!.Fee.ShouldBe(7UL);
        tx.Transaction.ShouldBeNull();
    }

    [Fact]
    public void a_repeated_property_keeps_the_last_value()
    {
        var tx = RpcJson.ParseTransaction("""{"slot":1,"slot":2,"version":"legacy","version":0}"""u8)!;
        tx.Slot.ShouldBe(2UL);
        tx.Version.ShouldBe(TransactionVersion.V0);
    }

    [Fact]
    public void a_null_result_and_a_bare_null_are_null()
    {
        RpcJson.ParseTransaction("""{"jsonrpc":"2.0","result":null,"id":1}"""u8).ShouldBeNull();
        RpcJson.ParseTransaction("null"u8).ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"fee":1,"preBalances":[1],"postBalances":[1],"logMessages":["a",null]}""")]
    [InlineData("""{"fee":null,"preBalances":[],"postBalances":[]}""")]
    [InlineData("""{"fee":1,"preBalances":[1.5],"postBalances":[]}""")]
    [InlineData("""{"fee":1,"preBalances":[-1],"postBalances":[]}""")]
    [InlineData("""{"fee":1,"preBalances":[],"postBalances":[],"innerInstructions":[null]}""")]
    [InlineData("""{"fee":1,"preBalances":[],"postBalances":[],"loadedAddresses":{"writable":null,"readonly":[]}}""")]
    [InlineData("""{"fee":1,"preBalances":[],"postBalances":[]} {}""")]
    [InlineData("""{"fee":1,"preBalances":[],"postBalances":[]""")]
    public void malformed_metas_are_refused_with_the_sdk_exception(string json)
    {
        var e = Should.Throw<RpcException>(() => RpcJson.ParseTransactionMeta(Encoding.UTF8.GetBytes(json)));
        e.Kind.ShouldBe(RpcErrorKind.MalformedResponse);
    }

    [Theory]
    [InlineData("""[1,"a"]""")]
    [InlineData("""["a",1]""")]
    [InlineData("""[null]""")]
    [InlineData("""{}""")]
    public void instruction_accounts_must_be_all_indexes_or_all_addresses(string accounts)
    {
        var json = """{"transaction":{"signatures":["s"],"message":{"accountKeys":["k"],"recentBlockhash":"h","instructions":[{"programIdIndex":0,"accounts":""" + accounts + ""","data":""}]}}}""";
        Should.Throw<RpcException>(() => RpcJson.ParseTransaction(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void long_lists_keep_every_element_in_order()
    {
        var indexes = Enumerable.Range(0, 300).ToArray();
        var balances = Enumerable.Range(0, 300).Select(i => ulong.MaxValue - (ulong)i).ToArray();
        var json = """{"slot":1,"meta":{"fee":0,"preBalances":[""" + string.Join(',', balances) + """],"postBalances":[]},"transaction":{"signatures":["s"],"message":{"accountKeys":["k"],"recentBlockhash":"h","instructions":[{"programIdIndex":0,"accounts":[""" + string.Join(',', indexes) + """],"data":""},{"programIdIndex":0,"accounts":[],"data":""}]}}}""";
        var tx = RpcJson.ParseTransaction(Encoding.UTF8.GetBytes(json))!;
        tx.Meta!.PreBalances.ShouldBe(balances);
        tx.Meta.PostBalances.ShouldBeEmpty();
        tx.Transaction!.Message!.Instructions[0].Accounts.ShouldBe(indexes);
        tx.Transaction.Message.Instructions[1].Accounts.ShouldNotBeNull().ShouldBeEmpty();
        tx.Transaction.Message.Instructions[1].AccountAddresses.ShouldBeNull();
    }

    [Fact]
    public void the_serializer_path_reads_the_same_model_as_rpc_json()
    {
        var bytes = Fixtures.Bytes("getTransaction-json-v0-swap-loadedAddresses.json");
        using var doc = JsonDocument.Parse(bytes);
        var viaSerializer = doc.RootElement.GetProperty("result").Deserialize(SolanaRpcJsonContext.Default.TransactionResponse)!;
        var viaRpcJson = RpcJson.ParseTransaction(bytes)!;
        JsonSerializer.Serialize(viaSerializer, SolanaRpcJsonContext.Default.TransactionResponse)
            .ShouldBe(JsonSerializer.Serialize(viaRpcJson, SolanaRpcJsonContext.Default.TransactionResponse));
        viaRpcJson.Meta!.LogMessages!.Count.ShouldBe(107);
    }
}
