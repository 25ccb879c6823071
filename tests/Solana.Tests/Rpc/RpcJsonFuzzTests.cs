using System.Text;
using IoNet.Solana.Rpc;

namespace IoNet.Solana.Tests.Rpc;

/// <summary>10k mutated RPC documents: each parses or throws the SDK's own exception; nothing else escapes.</summary>
public sealed class RpcJsonFuzzTests
{
    private static readonly byte[][] Seeds = Fixtures.All.Where(f => !f.StartsWith("getBlock", StringComparison.Ordinal)).Select(Fixtures.Bytes).ToArray();
    private static readonly string[] Swaps = ["null", "0", "-1", "18446744073709551616", "\"x\"", "[]", "{}", "true", "1.5e400", "\"\"", "[1,\"base64\"]"];

    [Fact]
    public void ten_thousand_mutated_documents_parse_or_throw_only_the_sdk_exception()
    {
        var random = new Random(20250107);
        int parsed = 0, refused = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var doc = Mutate(Seeds[random.Next(Seeds.Length)], random);
            try
            {
                Consume(RpcJson.ParseTransaction(doc));
                Consume(RpcJson.ParseTransactionMeta(doc));
                Consume(RpcJson.ParseSignatures(doc));
                parsed++;
            }
            catch (SolanaException)
            {
                refused++;
            }
        }
        (parsed + refused).ShouldBe(10_000);
        refused.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void mutated_block_documents_parse_or_throw_only_the_sdk_exception()
    {
        var random = new Random(7);
        var block = Fixtures.Bytes("getBlock-base64.json");
        for (var i = 0; i < 200; i++)
        {
            try
            {
                RpcJson.ParseBlock(Mutate(block, random));
            }
            catch (SolanaException)
            {
                // refused cleanly
            }
        }
    }

    // Walks the typed views that compute things lazily, so their failures show too.
    private static void Consume(object? result)
    {
        switch (result)
        {
            case TransactionResponse { Meta: { } meta } tx:
                Consume(meta);
                if (tx.Transaction?.Message is { } m)
                {
                    var keys = TransactionAccounts.Resolve(m, meta);
                    foreach (var ix in m.Instructions)
                        _ = ix.ProgramIdIndex is null || ix.ProgramIdIndex < keys.Count ? 0 : 1;
                }
                break;
            case TransactionMeta meta:
                foreach (var b in (meta.PreTokenBalances ?? []).OfType<TokenBalance>())
                {
                    try { _ = b.UiTokenAmount.BaseUnits; } catch (SolanaException) { }
                }
                break;
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (var k = random.Next(1, 8); k > 0; k--)
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                return bytes.AsSpan(0, random.Next(bytes.Length)).ToArray();
            case 2:
                return SwapValue(bytes, random);
            default:
                var b = bytes[random.Next(bytes.Length)];
                bytes[random.Next(bytes.Length)] = b;
                return SwapValue(bytes, random);
        }
    }

    // Replaces the value after a random ':' with a value of another JSON type.
    private static byte[] SwapValue(byte[] bytes, Random random)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var colon = text.IndexOf(':', random.Next(text.Length));
        if (colon < 0)
            return bytes;
        var end = colon + 1;
        var depth = 0;
        var inString = false;
        for (; end < text.Length; end++)
        {
            var c = text[end];
            if (inString) { if (c == '\\') end++; else if (c == '"') inString = false; continue; }
            if (c == '"') inString = true;
            else if (c is '[' or '{') depth++;
            else if (c is ']' or '}') { if (depth == 0) break; depth--; }
            else if (c == ',' && depth == 0) break;
        }
        return Encoding.UTF8.GetBytes(text[..(colon + 1)] + Swaps[random.Next(Swaps.Length)] + text[end..]);
    }
}

public sealed class RpcResponseShapeTests
{
    [Fact]
    public void an_unknown_account_is_a_null_value_and_an_unknown_transaction_a_null_result()
    {
        RpcRequests.GetAccountInfo("x").ParseResponse("""{"jsonrpc":"2.0","result":{"context":{"slot":1},"value":null},"id":1}"""u8).Value.ShouldBeNull();
        RpcRequests.GetTransaction("x").ParseResponse("""{"jsonrpc":"2.0","result":null,"id":1}"""u8).ShouldBeNull();
    }

    [Fact]
    public void an_explicit_null_where_the_model_needs_a_value_is_a_malformed_response()
    {
        var e = Should.Throw<RpcException>(() => RpcJson.ParseTransactionMeta("""{"fee":1,"preBalances":null,"postBalances":[]}"""u8));
        e.Kind.ShouldBe(RpcErrorKind.MalformedResponse);
    }
}
