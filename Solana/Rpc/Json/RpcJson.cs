using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IoNet.Solana.Rpc.Json;

namespace IoNet.Solana.Rpc;

/// <summary>
/// Parses RPC JSON into the typed model. Accepts a JSON-RPC envelope ({"jsonrpc","result"|"error","id"}) or the bare
/// result. Anything malformed becomes an <see cref="RpcException"/> of kind MalformedResponse; a JSON-RPC error
/// becomes its typed <see cref="RpcException"/>.
/// </summary>
public static class RpcJson
{
    public static TransactionResponse? ParseTransaction(ReadOnlySpan<byte> utf8) => Parse(utf8, SolanaRpcJsonContext.Default.TransactionResponse);

    public static TransactionMeta? ParseTransactionMeta(ReadOnlySpan<byte> utf8) => Parse(utf8, SolanaRpcJsonContext.Default.TransactionMeta);

    public static Block? ParseBlock(ReadOnlySpan<byte> utf8) => Parse(utf8, SolanaRpcJsonContext.Default.Block);

    public static IReadOnlyList<SignatureInfo>? ParseSignatures(ReadOnlySpan<byte> utf8) => Parse(utf8, SolanaRpcJsonContext.Default.IReadOnlyListSignatureInfo);

    /// <summary>Parses an envelope or a bare result of type <typeparamref name="T"/>.</summary>
    public static T? Parse<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> typeInfo, string? method = null)
    {
        try
        {
            return ParseCore(utf8, typeInfo, method);
        }
        catch (Exception e) when (e is not SolanaException)
        {
            throw Malformed(method, e);
        }
    }

    internal static RpcException Malformed(string? method, Exception e) =>
        new(RpcErrorKind.MalformedResponse, $"RPC {method ?? "response"} is not valid: {e.Message}", method: method, inner: e);

    private static T? ParseCore<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> typeInfo, string? method)
    {
        var direct = ReferenceEquals(typeInfo.Options, SolanaRpcJsonContext.Default.Options) ? DirectReader<T>.Read : null;
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        if (!reader.Read())
            throw new JsonException("Empty document.");
        if (reader.TokenType != JsonTokenType.StartObject || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !IsEnvelopeKey(ref reader))
        {
            if (direct is null)
                return JsonSerializer.Deserialize(utf8, typeInfo);
            var bare = new Utf8JsonReader(utf8, ReaderOptions);
            bare.Read();
            var value = bare.TokenType == JsonTokenType.Null ? default : direct(ref bare);
            if (bare.Read())
                throw new JsonException("Trailing data after the result.");
            return value;
        }

        T? result = default;
        var hasResult = false;
        RpcErrorBody? error = null;
        do
        {
            if (reader.ValueTextEquals("result"u8))
            {
                reader.Read();
                result = direct is null ? JsonSerializer.Deserialize(ref reader, typeInfo)
                    : reader.TokenType == JsonTokenType.Null ? default : direct(ref reader);
                hasResult = true;
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                error = JsonSerializer.Deserialize(ref reader, SolanaRpcJsonContext.Default.RpcErrorBody);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName);
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            throw new JsonException("Trailing data after the response object.");
        if (error is not null)
            throw RpcErrorCodes.ToException(error.Code, error.Message, error.Data, method);
        if (!hasResult)
            throw new JsonException("The response has neither result nor error.");
        return result;
    }

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    private static bool IsEnvelopeKey(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("jsonrpc"u8) || reader.ValueTextEquals("result"u8) || reader.ValueTextEquals("error"u8) || reader.ValueTextEquals("id"u8);
}

internal delegate T ValueReader<out T>(ref Utf8JsonReader reader);

/// <summary>
/// The hand-written readers <see cref="RpcJson"/> calls on its own reader, skipping the serializer's entry point
/// (which scans a value once to scope it, then again to read it).
/// </summary>
internal static class DirectReader<T>
{
    public static readonly ValueReader<T>? Read = (ValueReader<T>?)Create();

    private static Delegate? Create()
    {
        if (typeof(T) == typeof(TransactionResponse))
            return new ValueReader<TransactionResponse>(TransactionResponseConverter.ReadValue);
        if (typeof(T) == typeof(TransactionMeta))
            return new ValueReader<TransactionMeta>(TransactionMetaConverter.ReadValue);
        if (typeof(T) == typeof(UiMessage))
            return new ValueReader<UiMessage>(UiMessageConverter.ReadValue);
        if (typeof(T) == typeof(Block))
            return new ValueReader<Block>(BlockConverter.ReadValue);
        return null;
    }
}
