using System.Text.Json;

namespace IoNet.Solana.Rpc;

/// <summary>Matches a batch response (an array of envelopes, in any order) to the batch's items by id.</summary>
internal static class RpcBatchReader
{
    public static void Distribute(byte[] response, RpcBatch batch, long firstId)
    {
        try
        {
            DistributeCore(response, batch, firstId);
        }
        catch (Exception e) when (e is not SolanaException)
        {
            throw RpcJson.Malformed("batch", e);
        }
        foreach (var item in batch.Items.Where(i => !i.IsCompleted))
        {
            item.Error = new RpcException(RpcErrorKind.MalformedResponse, $"RPC {item.Request.Method}: the batch response has no entry for this call.", method: item.Request.Method);
            item.IsCompleted = true;
        }
    }

    private static void DistributeCore(byte[] response, RpcBatch batch, long firstId)
    {
        var reader = new Utf8JsonReader(response);
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            // A node answers a whole batch it cannot read with a single error object.
            using var doc = JsonDocument.ParseValue(ref reader);
            var err = doc.RootElement.TryGetProperty("error"u8, out var e) ? e.Deserialize(SolanaRpcJsonContext.Default.RpcErrorBody) : null;
            throw err is null
                ? new JsonException("A batch response must be an array.")
                : RpcErrorCodes.ToException(err.Code, err.Message, err.Data, "batch");
        }
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException("A batch response must be an array.");
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            long? id = null;
            int resultStart = -1, resultEnd = -1;
            RpcErrorBody? error = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    id = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var v) ? v : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("result"u8))
                {
                    reader.Read();
                    resultStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                    resultEnd = (int)reader.BytesConsumed;
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
            if (id is not { } found || found < firstId || found >= firstId + batch.Items.Count)
                continue;
            var item = batch.Items[(int)(found - firstId)];
            if (error is not null)
            {
                item.Error = RpcErrorCodes.ToException(error.Code, error.Message, error.Data, item.Request.Method);
                item.IsCompleted = true;
            }
            else if (resultStart >= 0)
            {
                item.SetResult(response.AsSpan(resultStart, resultEnd - resultStart));
            }
        }
    }
}
