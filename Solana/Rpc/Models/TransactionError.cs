using System.Text.Json;
using System.Text.Json.Serialization;
using IoNet.Solana.Rpc.Json;

namespace IoNet.Solana.Rpc;

/// <summary>
/// A TransactionError as the node sent it (kept in <see cref="Json"/>), with a typed view: e.g.
/// {"InstructionError":[2,{"Custom":6001}]} is Name "InstructionError", InstructionIndex 2, InstructionErrorName
/// "Custom", CustomCode 6001; "InvalidRentPayingAccount" is just a Name.
/// </summary>
[JsonConverter(typeof(TransactionErrorConverter))]
public sealed class TransactionError
{
    /// <summary>The error exactly as on the wire (compact JSON).</summary>
    public required string Json { get; init; }

    /// <summary>The TransactionError variant, e.g. "InstructionError", "InsufficientFundsForRent".</summary>
    public required string Name { get; init; }

    public int? InstructionIndex { get; init; }

    /// <summary>The InstructionError variant, e.g. "Custom", "InvalidAccountData", "BorshIoError".</summary>
    public string? InstructionErrorName { get; init; }

    /// <summary>The program's custom error code for InstructionError Custom.</summary>
    public uint? CustomCode { get; init; }

    public override string ToString() => Json;

    /// <summary>Reads the typed view out of a raw error element.</summary>
    public static TransactionError FromJson(JsonElement element)
    {
        var json = Compact(element);
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return new TransactionError { Json = json, Name = element.GetString()! };
            case JsonValueKind.Object:
                string? name = null;
                JsonElement value = default;
                foreach (var p in element.EnumerateObject())
                {
                    name = p.Name;
                    value = p.Value;
                    break;
                }
                if (name is null)
                    return new TransactionError { Json = json, Name = "" };
                if (name == "InstructionError" && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2
                    && value[0].TryGetInt32(out var index))
                {
                    var inner = value[1];
                    return inner.ValueKind switch
                    {
                        JsonValueKind.String => new TransactionError { Json = json, Name = name, InstructionIndex = index, InstructionErrorName = inner.GetString() },
                        JsonValueKind.Object => FromInstructionObject(json, name, index, inner),
                        _ => new TransactionError { Json = json, Name = name, InstructionIndex = index },
                    };
                }
                return new TransactionError { Json = json, Name = name };
            default:
                return new TransactionError { Json = json, Name = json };
        }
    }

    private static string Compact(JsonElement element)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
            element.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static TransactionError FromInstructionObject(string json, string name, int index, JsonElement inner)
    {
        string? innerName = null;
        uint? code = null;
        foreach (var p in inner.EnumerateObject())
        {
            innerName = p.Name;
            if (p.Name == "Custom" && p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetUInt32(out var c))
                code = c;
            break;
        }
        return new TransactionError { Json = json, Name = name, InstructionIndex = index, InstructionErrorName = innerName, CustomCode = code };
    }
}

/// <summary>The deprecated status field: {"Ok": null} or {"Err": error}.</summary>
[JsonConverter(typeof(TransactionStatusConverter))]
public sealed record TransactionStatus(TransactionError? Err)
{
    public bool IsOk => Err is null;
}
