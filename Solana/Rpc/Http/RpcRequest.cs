using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace IoNet.Solana.Rpc;

/// <summary>One JSON-RPC call: a method, its params and how to read its result. Build them with <see cref="RpcRequests"/>.</summary>
public abstract class RpcRequest
{
    private protected RpcRequest(string method, Action<Utf8JsonWriter>? writeParams)
    {
        Method = method;
        WriteParams = writeParams;
    }

    public string Method { get; }

    internal Action<Utf8JsonWriter>? WriteParams { get; }

    internal void WriteTo(Utf8JsonWriter writer, long id)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WriteNumber("id"u8, id);
        writer.WriteString("method"u8, Method);
        if (WriteParams is not null)
        {
            writer.WriteStartArray("params"u8);
            WriteParams(writer);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    /// <summary>The request body as JSON, with the given id (for logs and the websocket client).</summary>
    public string ToJson(long id = 1)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
            WriteTo(writer, id);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

/// <summary>A call whose result is a <typeparamref name="T"/>.</summary>
public sealed class RpcRequest<T> : RpcRequest
{
    internal RpcRequest(string method, Action<Utf8JsonWriter>? writeParams, JsonTypeInfo<T> resultType) : base(method, writeParams) =>
        ResultType = resultType;

    internal JsonTypeInfo<T> ResultType { get; }

    /// <summary>Reads a whole response document (envelope or bare result) for this call.</summary>
    public T ParseResponse(ReadOnlySpan<byte> utf8) => RpcJson.Parse(utf8, ResultType, Method)!;

    internal T ParseResult(ReadOnlySpan<byte> resultJson)
    {
        try
        {
            return JsonSerializer.Deserialize(resultJson, ResultType)!;
        }
        catch (Exception e) when (e is not SolanaException)
        {
            throw RpcJson.Malformed(Method, e);
        }
    }
}
