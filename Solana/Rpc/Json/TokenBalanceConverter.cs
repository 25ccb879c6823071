using System.Text.Json;
using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc.Json;

/// <summary>Hand-written for speed: token balances are numerous in every token transaction.</summary>
internal sealed class TokenBalanceConverter : JsonConverter<TokenBalance>, IValueReader<TokenBalance>
{
    public override TokenBalance Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public static TokenBalance ReadValue(ref Utf8JsonReader reader)
    {
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        var balance = new TokenBalance();
        var hasAmount = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonRead.Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("accountIndex"u8)) { balance.AccountIndex = JsonRead.Int32(ref reader); }
            else if (name.SequenceEqual("mint"u8)) { balance.Mint = JsonRead.String(ref reader); }
            else if (name.SequenceEqual("owner"u8)) { balance.Owner = JsonRead.NullableString(ref reader); }
            else if (name.SequenceEqual("programId"u8)) { balance.ProgramId = JsonRead.NullableString(ref reader); }
            else if (name.SequenceEqual("uiTokenAmount"u8)) { balance.UiTokenAmount = ReadAmount(ref reader); hasAmount = true; }
            else { reader.Skip(); }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return hasAmount ? balance : throw new JsonException("A token balance without uiTokenAmount.");
    }

    internal static TokenAmount ReadAmount(ref Utf8JsonReader reader)
    {
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        var amount = new TokenAmount();
        var (hasAmount, hasDecimals) = (false, false);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonRead.Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("amount"u8)) { (amount.Amount, hasAmount) = (JsonRead.String(ref reader), true); }
            else if (name.SequenceEqual("decimals"u8))
            {
                amount.Decimals = reader.TokenType == JsonTokenType.Number && reader.TryGetByte(out var d) ? d : throw JsonRead.Unexpected(ref reader, "decimals 0-255");
                hasDecimals = true;
            }
            else if (name.SequenceEqual("uiAmount"u8))
            {
                amount.UiAmount = reader.TokenType == JsonTokenType.Null ? null
                    // A number too large for a double reads as infinity, which no node sends and JSON cannot write back.
                    : reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var v) && double.IsFinite(v) ? v : throw JsonRead.Unexpected(ref reader, "a finite number");
            }
            else if (name.SequenceEqual("uiAmountString"u8)) { amount.UiAmountString = JsonRead.NullableString(ref reader); }
            else { reader.Skip(); }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        // Nodes always send both: without them the balance would silently read as 0 base units (or 0 decimals).
        return hasAmount && hasDecimals ? amount : throw new JsonException("A token amount needs its amount and decimals.");
    }

    public override void Write(Utf8JsonWriter writer, TokenBalance value, JsonSerializerOptions options) => WriteValue(writer, value);

    internal static void WriteValue(Utf8JsonWriter writer, TokenBalance value)
    {
        writer.WriteStartObject();
        writer.WriteNumber("accountIndex"u8, value.AccountIndex);
        writer.WriteString("mint"u8, value.Mint);
        if (value.Owner is not null) writer.WriteString("owner"u8, value.Owner);
        if (value.ProgramId is not null) writer.WriteString("programId"u8, value.ProgramId);
        writer.WritePropertyName("uiTokenAmount"u8);
        writer.WriteStartObject();
        writer.WriteString("amount"u8, value.UiTokenAmount.Amount);
        writer.WriteNumber("decimals"u8, value.UiTokenAmount.Decimals);
        if (value.UiTokenAmount.UiAmount is { } ui) writer.WriteNumber("uiAmount"u8, ui);
        else writer.WriteNull("uiAmount"u8);
        if (value.UiTokenAmount.UiAmountString is not null) writer.WriteString("uiAmountString"u8, value.UiTokenAmount.UiAmountString);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
