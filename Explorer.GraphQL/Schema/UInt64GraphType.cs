using System.Globalization;
using System.Numerics;
using GraphQL.Types;
using GraphQLParser.AST;

namespace IoNet.Explorer.Schema;

/// <summary>
/// Amounts, slots and block numbers: an unsigned 64-bit integer written as a decimal string, so that no JSON reader
/// (JavaScript's included) rounds it. Input: a string of digits or an integer literal.
/// </summary>
public sealed class UInt64GraphType : ScalarGraphType
{
    public UInt64GraphType()
    {
        Name = "UInt64";
        Description = "An unsigned 64-bit integer as a decimal string (base units for amounts), exact in every JSON reader.";
    }

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        ulong u => u.ToString(CultureInfo.InvariantCulture),
        long l when l >= 0 => l.ToString(CultureInfo.InvariantCulture),
        int i when i >= 0 => i.ToString(CultureInfo.InvariantCulture),
        decimal d when d >= 0 && d <= ulong.MaxValue && decimal.Truncate(d) == d => d.ToString("0", CultureInfo.InvariantCulture),
        _ => ThrowSerializationError(value),
    };

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLStringValue s => Parse(s.Value.ToString()) ?? ThrowLiteralConversionError(value),
        GraphQLIntValue i => Parse(i.Value.ToString()) ?? ThrowLiteralConversionError(value),
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        string s => Parse(s) ?? ThrowValueConversionError(value),
        int i when i >= 0 => (ulong)i,
        long l when l >= 0 => (ulong)l,
        ulong u => u,
        BigInteger b when b >= 0 && b <= ulong.MaxValue => (ulong)b,
        _ => ThrowValueConversionError(value),
    };

    private static ulong? Parse(string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
}
