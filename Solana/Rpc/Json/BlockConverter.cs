using System.Text.Json;
using System.Text.Json.Serialization;

namespace IoNet.Solana.Rpc.Json;

/// <summary>Hand-written like the transaction converters, so that getBlock reads its bytes once.</summary>
internal sealed class BlockConverter : JsonConverter<Block>, IValueReader<Block>
{
    public override Block Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public static Block ReadValue(ref Utf8JsonReader reader)
    {
        JsonRead.Expect(ref reader, JsonTokenType.StartObject);
        var block = new Block();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonRead.Name(ref reader);
            reader.Read();
            var isNull = reader.TokenType == JsonTokenType.Null;
            if (name.SequenceEqual("transactions"u8))
                block.Transactions = isNull ? null : JsonRead.List<BlockTransaction, BlockTransactionElement>(ref reader, 64);
            else if (name.SequenceEqual("blockhash"u8))
                block.Blockhash = JsonRead.String(ref reader);
            else if (name.SequenceEqual("previousBlockhash"u8))
                block.PreviousBlockhash = JsonRead.String(ref reader);
            else if (name.SequenceEqual("parentSlot"u8))
                block.ParentSlot = JsonRead.UInt64(ref reader);
            else if (name.SequenceEqual("blockHeight"u8))
                block.BlockHeight = isNull ? null : JsonRead.UInt64(ref reader);
            else if (name.SequenceEqual("blockTime"u8))
                block.BlockTime = JsonRead.NullableInt64(ref reader);
            else if (name.SequenceEqual("signatures"u8))
                block.Signatures = isNull ? null : JsonRead.List<string, StringElement>(ref reader, 64);
            else if (name.SequenceEqual("rewards"u8))
                block.Rewards = isNull ? null : JsonRead.List<Reward, TransactionMetaConverter.RewardElement>(ref reader, 4);
            else
                reader.Skip();
        }
        JsonRead.Expect(ref reader, JsonTokenType.EndObject);
        return block;
    }

    internal readonly struct BlockTransactionElement : IValueReader<BlockTransaction>
    {
        public static BlockTransaction ReadValue(ref Utf8JsonReader reader)
        {
            JsonRead.Expect(ref reader, JsonTokenType.StartObject);
            var tx = new BlockTransaction();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = JsonRead.Name(ref reader);
                reader.Read();
                var isNull = reader.TokenType == JsonTokenType.Null;
                if (name.SequenceEqual("meta"u8))
                    tx.Meta = isNull ? null : TransactionMetaConverter.ReadValue(ref reader);
                else if (name.SequenceEqual("transaction"u8))
                    tx.Transaction = isNull ? null : EncodedTransactionConverter.ReadValue(ref reader);
                else if (name.SequenceEqual("version"u8))
                    tx.Version = isNull ? null : TransactionVersionConverter.ReadValue(ref reader);
                else
                    reader.Skip();
            }
            JsonRead.Expect(ref reader, JsonTokenType.EndObject);
            return tx;
        }
    }

    // Same shape as the source generator wrote before: declaration order, nulls written.
    public override void Write(Utf8JsonWriter writer, Block value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("blockhash"u8, value.Blockhash);
        writer.WriteString("previousBlockhash"u8, value.PreviousBlockhash);
        writer.WriteNumber("parentSlot"u8, value.ParentSlot);
        if (value.BlockHeight is { } height) writer.WriteNumber("blockHeight"u8, height);
        else writer.WriteNull("blockHeight"u8);
        if (value.BlockTime is { } time) writer.WriteNumber("blockTime"u8, time);
        else writer.WriteNull("blockTime"u8);
        writer.WritePropertyName("transactions"u8);
        if (value.Transactions is { } transactions)
        {
            writer.WriteStartArray();
            foreach (var tx in transactions)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("transaction"u8);
                if (tx.Transaction is { } t) EncodedTransactionConverter.WriteValue(writer, t);
                else writer.WriteNullValue();
                writer.WritePropertyName("meta"u8);
                if (tx.Meta is { } meta) TransactionMetaConverter.WriteValue(writer, meta);
                else writer.WriteNullValue();
                writer.WritePropertyName("version"u8);
                if (tx.Version is { } version) TransactionVersionConverter.WriteValue(writer, version);
                else writer.WriteNullValue();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNullValue();
        }
        JsonRead.WriteStrings(writer, "signatures"u8, value.Signatures);
        TransactionMetaConverter.WriteRewards(writer, value.Rewards);
        writer.WriteEndObject();
    }
}
