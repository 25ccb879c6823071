using System.Text.Json;
using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc.Json;

/// <summary>Hand-written for speed: getTransaction / getBlock results are the SDK's hot path.</summary>
internal sealed class TransactionResponseConverter : JsonConverter<TransactionResponse>, IValueReader<TransactionResponse>
{
    public override TransactionResponse Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public static TransactionResponse ReadValue(ref Utf8JsonReader reader)
    {
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        var result = new TransactionResponse();
        var hasSlot = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonRead.Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("meta"u8))
                result.Meta = reader.TokenType == JsonTokenType.Null ? null : TransactionMetaConverter.ReadValue(ref reader);
            else if (name.SequenceEqual("transaction"u8))
                result.Transaction = reader.TokenType == JsonTokenType.Null ? null : EncodedTransactionConverter.ReadValue(ref reader);
            else if (name.SequenceEqual("slot"u8))
                (result.Slot, hasSlot) = (JsonRead.UInt64(ref reader), true);
            else if (name.SequenceEqual("blockTime"u8))
                result.BlockTime = JsonRead.NullableInt64(ref reader);
            else if (name.SequenceEqual("version"u8))
                result.Version = reader.TokenType == JsonTokenType.Null ? null : TransactionVersionConverter.ReadValue(ref reader);
            else
                reader.Skip();
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        // Every getTransaction result has its slot; without it this is not one (e.g. an envelope whose first key was
        // mangled, which would otherwise read as an empty transaction at slot 0).
        if (!hasSlot)
            throw new JsonException("The transaction has no slot.");
        return result;
    }

    public override void Write(Utf8JsonWriter writer, TransactionResponse value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("slot"u8, value.Slot);
        if (value.BlockTime is { } time) writer.WriteNumber("blockTime"u8, time);
        else writer.WriteNull("blockTime"u8);
        writer.WritePropertyName("version"u8);
        if (value.Version is { } version) TransactionVersionConverter.WriteValue(writer, version);
        else writer.WriteNullValue();
        writer.WritePropertyName("transaction"u8);
        if (value.Transaction is { } transaction) EncodedTransactionConverter.WriteValue(writer, transaction);
        else writer.WriteNullValue();
        writer.WritePropertyName("meta"u8);
        if (value.Meta is { } meta) TransactionMetaConverter.WriteValue(writer, meta);
        else writer.WriteNullValue();
        writer.WriteEndObject();
    }
}

/// <summary>Hand-written for speed; an explicit null where the model has no null (fee, balances) is refused.</summary>
internal sealed class TransactionMetaConverter : JsonConverter<TransactionMeta>, IValueReader<TransactionMeta>
{
    public override TransactionMeta Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public static TransactionMeta ReadValue(ref Utf8JsonReader reader)
    {
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        var meta = new TransactionMeta();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonRead.Name(ref reader);
            reader.Read();
            var isNull = reader.TokenType == JsonTokenType.Null;
            switch (name.Length)
            {
                case 3 when name.SequenceEqual("err"u8):
                    meta.Err = isNull ? null : TransactionErrorConverter.ReadValue(ref reader);
                    break;
                case 3 when name.SequenceEqual("fee"u8):
                    meta.Fee = JsonRead.UInt64(ref reader);
                    break;
                case 6 when name.SequenceEqual("status"u8):
                    meta.Status = isNull ? null : TransactionStatusConverter.ReadValue(ref reader);
                    break;
                case 7 when name.SequenceEqual("rewards"u8):
                    meta.Rewards = isNull ? null : JsonRead.List<Reward, RewardElement>(ref reader, 4);
                    break;
                case 10 when name.SequenceEqual("returnData"u8):
                    meta.ReturnData = isNull ? null : ReadReturnData(ref reader);
                    break;
                case 11 when name.SequenceEqual("preBalances"u8):
                    meta.PreBalances = JsonRead.Numbers<ulong, UInt64Element>(ref reader);
                    break;
                case 11 when name.SequenceEqual("logMessages"u8):
                    meta.LogMessages = isNull ? null : JsonRead.List<string, StringElement>(ref reader, 32);
                    break;
                case 12 when name.SequenceEqual("postBalances"u8):
                    meta.PostBalances = JsonRead.Numbers<ulong, UInt64Element>(ref reader);
                    break;
                case 15 when name.SequenceEqual("loadedAddresses"u8):
                    meta.LoadedAddresses = isNull ? null : ReadLoadedAddresses(ref reader);
                    break;
                case 16 when name.SequenceEqual("preTokenBalances"u8):
                    meta.PreTokenBalances = isNull ? null : JsonRead.List<TokenBalance, TokenBalanceConverter>(ref reader, 8);
                    break;
                case 17 when name.SequenceEqual("postTokenBalances"u8):
                    meta.PostTokenBalances = isNull ? null : JsonRead.List<TokenBalance, TokenBalanceConverter>(ref reader, 8);
                    break;
                case 17 when name.SequenceEqual("innerInstructions"u8):
                    meta.InnerInstructions = isNull ? null : JsonRead.List<InnerInstructionGroup, InnerGroupElement>(ref reader, 4);
                    break;
                case 20 when name.SequenceEqual("computeUnitsConsumed"u8):
                    meta.ComputeUnitsConsumed = isNull ? null : JsonRead.UInt64(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return meta;
    }

    private static LoadedAddresses ReadLoadedAddresses(ref Utf8JsonReader reader)
    {
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        var loaded = new LoadedAddresses();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonRead.Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("writable"u8)) { loaded.Writable = JsonRead.List<string, StringElement>(ref reader, 16); }
            else if (name.SequenceEqual("readonly"u8)) { loaded.Readonly = JsonRead.List<string, StringElement>(ref reader, 16); }
            else { reader.Skip(); }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return loaded;
    }

    private static ReturnData ReadReturnData(ref Utf8JsonReader reader)
    {
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        var data = new ReturnData();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonRead.Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("programId"u8)) { data.ProgramId = JsonRead.String(ref reader); }
            else if (name.SequenceEqual("data"u8)) { data.Data = JsonRead.EncodedBytes(ref reader); }
            else { reader.Skip(); }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return data;
    }

    internal readonly struct InnerGroupElement : IValueReader<InnerInstructionGroup>
    {
        public static InnerInstructionGroup ReadValue(ref Utf8JsonReader reader)
        {
            JsonRead.Expect(ref reader, JsonTokenType.StartObject);
            var group = new InnerInstructionGroup();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = JsonRead.Name(ref reader);
                reader.Read();
                if (name.SequenceEqual("instructions"u8)) { group.Instructions = JsonRead.List<UiInstruction, UiInstructionConverter>(ref reader, 8); }
                else if (name.SequenceEqual("index"u8)) { group.Index = JsonRead.Int32(ref reader); }
                else { reader.Skip(); }
            }
            JsonRead.Expect(ref reader, JsonTokenType.EndObject);
            return group;
        }
    }

    internal readonly struct RewardElement : IValueReader<Reward>
    {
        public static Reward ReadValue(ref Utf8JsonReader reader)
        {
            JsonRead.Expect(ref reader, JsonTokenType.StartObject);
            var reward = new Reward();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = JsonRead.Name(ref reader);
                reader.Read();
                if (name.SequenceEqual("pubkey"u8)) { reward.Pubkey = JsonRead.String(ref reader); }
                else if (name.SequenceEqual("lamports"u8)) { reward.Lamports = JsonRead.Int64(ref reader); }
                else if (name.SequenceEqual("postBalance"u8)) { reward.PostBalance = JsonRead.UInt64(ref reader); }
                else if (name.SequenceEqual("rewardType"u8)) { reward.RewardType = JsonRead.NullableString(ref reader); }
                else if (name.SequenceEqual("commission"u8)) { reward.Commission = JsonRead.NullableByte(ref reader); }
                else { reader.Skip(); }
            }
            JsonRead.Expect(ref reader, JsonTokenType.EndObject);
            return reward;
        }
    }

    public override void Write(Utf8JsonWriter writer, TransactionMeta value, JsonSerializerOptions options) => WriteValue(writer, value);

    // Same shape as the source generator wrote before: declaration order, nulls written.
    internal static void WriteValue(Utf8JsonWriter writer, TransactionMeta value)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("err"u8);
        if (value.Err is { } err) writer.WriteRawValue(err.Json);
        else writer.WriteNullValue();
        writer.WritePropertyName("status"u8);
        if (value.Status is { } status) TransactionStatusConverter.WriteValue(writer, status);
        else writer.WriteNullValue();
        writer.WriteNumber("fee"u8, value.Fee);
        JsonRead.WriteNumbers(writer, "preBalances"u8, value.PreBalances);
        JsonRead.WriteNumbers(writer, "postBalances"u8, value.PostBalances);
        WriteTokenBalances(writer, "preTokenBalances"u8, value.PreTokenBalances);
        WriteTokenBalances(writer, "postTokenBalances"u8, value.PostTokenBalances);
        writer.WritePropertyName("innerInstructions"u8);
        if (value.InnerInstructions is { } groups)
        {
            writer.WriteStartArray();
            foreach (var group in groups)
            {
                writer.WriteStartObject();
                writer.WriteNumber("index"u8, group.Index);
                writer.WriteStartArray("instructions"u8);
                foreach (var ix in group.Instructions) UiInstructionConverter.WriteValue(writer, ix);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNullValue();
        }
        JsonRead.WriteStrings(writer, "logMessages"u8, value.LogMessages);
        writer.WritePropertyName("loadedAddresses"u8);
        if (value.LoadedAddresses is { } loaded)
        {
            writer.WriteStartObject();
            JsonRead.WriteStrings(writer, "writable"u8, loaded.Writable);
            JsonRead.WriteStrings(writer, "readonly"u8, loaded.Readonly);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNullValue();
        }
        writer.WritePropertyName("returnData"u8);
        if (value.ReturnData is { } data)
        {
            writer.WriteStartObject();
            writer.WriteString("programId"u8, data.ProgramId);
            writer.WritePropertyName("data"u8);
            Base64PairConverter.WriteValue(writer, data.Data);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNullValue();
        }
        if (value.ComputeUnitsConsumed is { } units) writer.WriteNumber("computeUnitsConsumed"u8, units);
        else writer.WriteNull("computeUnitsConsumed"u8);
        WriteRewards(writer, value.Rewards);
        writer.WriteEndObject();
    }

    internal static void WriteRewards(Utf8JsonWriter writer, IReadOnlyList<Reward>? rewards)
    {
        writer.WritePropertyName("rewards"u8);
        if (rewards is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartArray();
        foreach (var r in rewards)
        {
            writer.WriteStartObject();
            writer.WriteString("pubkey"u8, r.Pubkey);
            writer.WriteNumber("lamports"u8, r.Lamports);
            writer.WriteNumber("postBalance"u8, r.PostBalance);
            if (r.RewardType is { } type) writer.WriteString("rewardType"u8, type);
            else writer.WriteNull("rewardType"u8);
            if (r.Commission is { } commission) writer.WriteNumber("commission"u8, commission);
            else writer.WriteNull("commission"u8);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteTokenBalances(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyList<TokenBalance>? balances)
    {
        writer.WritePropertyName(name);
        if (balances is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartArray();
        foreach (var b in balances) TokenBalanceConverter.WriteValue(writer, b);
        writer.WriteEndArray();
    }
}

/// <summary>Hand-written for speed: the message (keys, instructions, lookups) of json / jsonParsed transactions.</summary>
internal sealed class UiMessageConverter : JsonConverter<UiMessage>, IValueReader<UiMessage>
{
    public override UiMessage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public static UiMessage ReadValue(ref Utf8JsonReader reader)
    {
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        var message = new UiMessage();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonRead.Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("instructions"u8))
                message.Instructions = JsonRead.List<UiInstruction, UiInstructionConverter>(ref reader, 8);
            else if (name.SequenceEqual("accountKeys"u8))
                message.AccountKeys = JsonRead.List<AccountKey, AccountKeyConverter>(ref reader, 32);
            else if (name.SequenceEqual("recentBlockhash"u8))
                message.RecentBlockhash = JsonRead.String(ref reader);
            else if (name.SequenceEqual("header"u8))
                message.Header = reader.TokenType == JsonTokenType.Null ? null : ReadHeader(ref reader);
            else if (name.SequenceEqual("addressTableLookups"u8))
                message.AddressTableLookups = reader.TokenType == JsonTokenType.Null ? null : JsonRead.List<AddressTableLookup, LookupElement>(ref reader, 2);
            else
                reader.Skip();
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return message;
    }

    private static MessageHeader ReadHeader(ref Utf8JsonReader reader)
    {
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        var header = new MessageHeader();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonRead.Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("numRequiredSignatures"u8)) { header.NumRequiredSignatures = JsonRead.Int32(ref reader); }
            else if (name.SequenceEqual("numReadonlySignedAccounts"u8)) { header.NumReadonlySignedAccounts = JsonRead.Int32(ref reader); }
            else if (name.SequenceEqual("numReadonlyUnsignedAccounts"u8)) { header.NumReadonlyUnsignedAccounts = JsonRead.Int32(ref reader); }
            else { reader.Skip(); }
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return header;
    }

    internal readonly struct LookupElement : IValueReader<AddressTableLookup>
    {
        public static AddressTableLookup ReadValue(ref Utf8JsonReader reader)
        {
            JsonRead.Expect(ref reader, JsonTokenType.StartObject);
            var lookup = new AddressTableLookup();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = JsonRead.Name(ref reader);
                reader.Read();
                if (name.SequenceEqual("accountKey"u8)) { lookup.AccountKey = JsonRead.String(ref reader); }
                else if (name.SequenceEqual("writableIndexes"u8)) { lookup.WritableIndexes = JsonRead.Numbers<byte, ByteElement>(ref reader); }
                else if (name.SequenceEqual("readonlyIndexes"u8)) { lookup.ReadonlyIndexes = JsonRead.Numbers<byte, ByteElement>(ref reader); }
                else { reader.Skip(); }
            }
            JsonRead.Expect(ref reader, JsonTokenType.EndObject);
            return lookup;
        }
    }

    public override void Write(Utf8JsonWriter writer, UiMessage value, JsonSerializerOptions options) => WriteValue(writer, value);

    internal static void WriteValue(Utf8JsonWriter writer, UiMessage value)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("accountKeys"u8);
        foreach (var key in value.AccountKeys) AccountKeyConverter.WriteValue(writer, key);
        writer.WriteEndArray();
        writer.WritePropertyName("header"u8);
        if (value.Header is { } h)
        {
            writer.WriteStartObject();
            writer.WriteNumber("numRequiredSignatures"u8, h.NumRequiredSignatures);
            writer.WriteNumber("numReadonlySignedAccounts"u8, h.NumReadonlySignedAccounts);
            writer.WriteNumber("numReadonlyUnsignedAccounts"u8, h.NumReadonlyUnsignedAccounts);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNullValue();
        }
        writer.WriteString("recentBlockhash"u8, value.RecentBlockhash);
        writer.WriteStartArray("instructions"u8);
        foreach (var ix in value.Instructions) UiInstructionConverter.WriteValue(writer, ix);
        writer.WriteEndArray();
        writer.WritePropertyName("addressTableLookups"u8);
        if (value.AddressTableLookups is { } lookups)
        {
            writer.WriteStartArray();
            foreach (var l in lookups)
            {
                writer.WriteStartObject();
                writer.WriteString("accountKey"u8, l.AccountKey);
                writer.WriteStartArray("writableIndexes"u8);
                foreach (var i in l.WritableIndexes) writer.WriteNumberValue(i);
                writer.WriteEndArray();
                writer.WriteStartArray("readonlyIndexes"u8);
                foreach (var i in l.ReadonlyIndexes) writer.WriteNumberValue(i);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNullValue();
        }
        writer.WriteEndObject();
    }
}
