using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IoNet.Programs.Anchor.Idl;
using IoNet.Solana.Keys;

namespace IoNet.Programs.Anchor.Borsh;

/// <summary>
/// Borsh for IDL types, to and from System.Text.Json nodes. JSON conventions (the same as anchor-escrow.json):
/// integers up to 32 bits are JSON numbers; u64, i64, u128, i128, u256, i256 are decimal strings (never doubles);
/// f32/f64 are JSON numbers, or the strings "NaN", "Infinity", "-Infinity"; bytes is base64; pubkeys are base58;
/// option/coption are null or the value; vec and arrays (u8 ones too) are JSON arrays; structs are objects, tuple
/// fields named "0", "1", ... as anchor's TS coder does; enums are {"Variant": {fields}} ({} for a unit variant).
/// </summary>
internal sealed class BorshCoder(AnchorIdl idl)
{
    private const int MaxDepth = 128;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, IdlTypeDef> _types = idl.Types
        .GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    private readonly Dictionary<IdlType, int> _minSizes = [];

    public IdlTypeDef Type(string name) =>
        _types.TryGetValue(name, out var def) ? def : throw new AnchorCoderException($"The IDL has no type named {name}.");

    // ---------------------------------------------------------------- decode

    public JsonNode? Decode(BorshReader r, IdlType type, GenericScope scope, int depth = 0)
    {
        if (depth > MaxDepth) throw new AnchorCoderException("Borsh data nests deeper than " + MaxDepth + " levels.");
        switch (type)
        {
            case IdlPrimitive p:
                return DecodePrimitive(r, p.Kind);
            case IdlOption o:
                return r.U8("option tag") switch
                {
                    0 => null,
                    1 => Decode(r, o.Inner, scope, depth + 1),
                    var tag => throw new AnchorCoderException($"Option tag {tag} at offset {r.Position - 1} is neither 0 nor 1."),
                };
            case IdlCOption c:
                return r.U32("coption tag") switch
                {
                    0 => SkipNone(r, c.Inner, scope),
                    1 => Decode(r, c.Inner, scope, depth + 1),
                    var tag => throw new AnchorCoderException($"COption tag {tag} at offset {r.Position - 4} is neither 0 nor 1."),
                };
            case IdlVec v:
            {
                var n = r.Length("vec", MinSize(v.Inner, scope));
                var array = new JsonArray();
                for (var i = 0; i < n; i++) array.Add(Decode(r, v.Inner, scope, depth + 1));
                return array;
            }
            case IdlArray a:
            {
                var n = a.GenericLength is { } g ? scope.LengthOf(g) : a.Length;
                var min = MinSize(a.Inner, scope);
                if (min == 0 ? n > BorshReader.MaxZeroSizedElements : (long)n * min > r.Remaining)
                    throw new AnchorCoderException($"An array of {n} items does not fit in the {r.Remaining} bytes left at offset {r.Position}.");
                var array = new JsonArray();
                for (var i = 0; i < n; i++) array.Add(Decode(r, a.Inner, scope, depth + 1));
                return array;
            }
            case IdlDefined d:
            {
                var def = Type(d.Name);
                return DecodeDef(r, def, GenericScope.For(def, d.Generics, scope), depth + 1);
            }
            case IdlGenericRef g:
            {
                var (t, outer) = scope.TypeOf(g.Name);
                return Decode(r, t, outer, depth + 1);
            }
            case IdlInlineStruct s:
                return DecodeFields(r, s.Fields, scope, depth + 1);
            default:
                throw new AnchorCoderException($"Unsupported IDL type {type}.");
        }
    }

    /// <summary>A COption is fixed-size on chain: None is followed by the zeroed space of the value (as in SPL Token).</summary>
    private JsonNode? SkipNone(BorshReader r, IdlType inner, GenericScope scope)
    {
        var size = FixedSize(inner, scope)
            ?? throw new AnchorCoderException("A COption of a variable-size type is not supported.");
        r.Take(size, "coption none padding");
        return null;
    }

    private JsonNode? DecodeDef(BorshReader r, IdlTypeDef def, GenericScope scope, int depth)
    {
        if (def.Serialization != "borsh")
            throw new AnchorCoderException($"Type {def.Name} uses {def.Serialization} serialization; only borsh is supported.");
        switch (def.Body)
        {
            case IdlStructBody s:
                return DecodeFields(r, s.Fields, scope, depth);
            case IdlEnumBody e:
            {
                var at = r.Position;
                var index = r.U8("enum variant");
                if (index >= e.Variants.Count)
                    throw new AnchorCoderException($"Enum {def.Name} has {e.Variants.Count} variants; variant {index} at offset {at} is out of range.");
                var variant = e.Variants[index];
                return new JsonObject { [variant.Name] = DecodeFields(r, variant.Fields, scope, depth) };
            }
            case IdlAliasBody a:
                return Decode(r, a.Value, scope, depth);
            default:
                throw new AnchorCoderException($"Unsupported type definition {def.Name}.");
        }
    }

    public JsonObject DecodeFields(BorshReader r, IdlFields fields, GenericScope scope, int depth)
    {
        var obj = new JsonObject();
        if (fields.Named is { } named)
            foreach (var f in named) obj[f.Name] = Decode(r, f.Type, scope, depth + 1);
        else if (fields.Tuple is { } tuple)
            for (var i = 0; i < tuple.Count; i++) obj[i.ToString(CultureInfo.InvariantCulture)] = Decode(r, tuple[i], scope, depth + 1);
        return obj;
    }

    private static JsonNode? DecodePrimitive(BorshReader r, IdlPrimitiveKind kind)
    {
        switch (kind)
        {
            case IdlPrimitiveKind.Bool:
                return r.U8("bool") switch
                {
                    0 => JsonValue.Create(false),
                    1 => JsonValue.Create(true),
                    var b => throw new AnchorCoderException($"Bool byte {b} at offset {r.Position - 1} is neither 0 nor 1."),
                };
            case IdlPrimitiveKind.U8: return JsonValue.Create(r.U8("u8"));
            case IdlPrimitiveKind.I8: return JsonValue.Create((sbyte)r.U8("i8"));
            case IdlPrimitiveKind.U16: return JsonValue.Create(r.U16("u16"));
            case IdlPrimitiveKind.I16: return JsonValue.Create((short)r.U16("i16"));
            case IdlPrimitiveKind.U32: return JsonValue.Create(r.U32("u32"));
            case IdlPrimitiveKind.I32: return JsonValue.Create((int)r.U32("i32"));
            case IdlPrimitiveKind.U64: return JsonValue.Create(r.U64("u64").ToString(CultureInfo.InvariantCulture));
            case IdlPrimitiveKind.I64: return JsonValue.Create(((long)r.U64("i64")).ToString(CultureInfo.InvariantCulture));
            case IdlPrimitiveKind.U128: return Big(r, 16, unsigned: true);
            case IdlPrimitiveKind.I128: return Big(r, 16, unsigned: false);
            case IdlPrimitiveKind.U256: return Big(r, 32, unsigned: true);
            case IdlPrimitiveKind.I256: return Big(r, 32, unsigned: false);
            case IdlPrimitiveKind.F32: return Float(BitConverter.Int32BitsToSingle((int)r.U32("f32")));
            case IdlPrimitiveKind.F64: return Float(BitConverter.Int64BitsToDouble((long)r.U64("f64")));
            case IdlPrimitiveKind.Bytes:
                return JsonValue.Create(Convert.ToBase64String(r.Take(r.Length("bytes", 1), "bytes")));
            case IdlPrimitiveKind.String:
            {
                var at = r.Position;
                var bytes = r.Take(r.Length("string", 1), "string");
                try
                {
                    return JsonValue.Create(StrictUtf8.GetString(bytes));
                }
                catch (DecoderFallbackException e)
                {
                    throw new AnchorCoderException($"The string at offset {at} is not valid UTF-8.", e);
                }
            }
            case IdlPrimitiveKind.Pubkey:
                return JsonValue.Create(new PublicKey(r.Take(PublicKey.Length, "pubkey")).ToString());
            default:
                throw new AnchorCoderException($"Unsupported primitive {kind}.");
        }
    }

    private static JsonValue Big(BorshReader r, int size, bool unsigned) =>
        JsonValue.Create(new BigInteger(r.Take(size, unsigned ? "unsigned integer" : "signed integer"), unsigned, isBigEndian: false)
            .ToString(CultureInfo.InvariantCulture));

    private static JsonValue Float(double value) =>
        double.IsNaN(value) ? JsonValue.Create("NaN")
        : double.IsPositiveInfinity(value) ? JsonValue.Create("Infinity")
        : double.IsNegativeInfinity(value) ? JsonValue.Create("-Infinity")
        : JsonValue.Create(value);

    /// <summary>An f32 is written as the double it widens to (as JavaScript shows it), so it encodes back exactly.</summary>
    private static JsonValue Float(float value) => Float((double)value);

    // ---------------------------------------------------------------- sizes

    /// <summary>The fewest bytes a value of the type can take (to bound vec lengths before allocating).</summary>
    public int MinSize(IdlType type, GenericScope scope, int depth = 0)
    {
        if (depth > MaxDepth) return 1;
        if (ReferenceEquals(scope, GenericScope.Empty) && _minSizes.TryGetValue(type, out var cached)) return cached;
        var size = type switch
        {
            IdlPrimitive p => PrimitiveSize(p.Kind) ?? 4,
            IdlOption => 1,
            IdlCOption c => 4 + (FixedSize(c.Inner, scope) ?? 0),
            IdlVec => 4,
            IdlArray a => (int)Math.Min(int.MaxValue, (long)(a.GenericLength is { } g ? scope.LengthOf(g) : a.Length) * MinSize(a.Inner, scope, depth + 1)),
            IdlDefined d => MinSizeDef(Type(d.Name), GenericScope.For(Type(d.Name), d.Generics, scope), depth + 1),
            IdlGenericRef g => MinSize(scope.TypeOf(g.Name).Type, scope.TypeOf(g.Name).Scope, depth + 1),
            IdlInlineStruct s => MinSizeFields(s.Fields, scope, depth + 1),
            _ => 1,
        };
        if (ReferenceEquals(scope, GenericScope.Empty)) _minSizes[type] = size;
        return size;
    }

    private int MinSizeDef(IdlTypeDef def, GenericScope scope, int depth) => def.Body switch
    {
        IdlStructBody s => MinSizeFields(s.Fields, scope, depth),
        IdlEnumBody e => 1 + (e.Variants.Count == 0 ? 0 : e.Variants.Min(v => MinSizeFields(v.Fields, scope, depth))),
        IdlAliasBody a => MinSize(a.Value, scope, depth),
        _ => 1,
    };

    private int MinSizeFields(IdlFields fields, GenericScope scope, int depth)
    {
        long total = 0;
        if (fields.Named is { } named) foreach (var f in named) total += MinSize(f.Type, scope, depth + 1);
        if (fields.Tuple is { } tuple) foreach (var t in tuple) total += MinSize(t, scope, depth + 1);
        return (int)Math.Min(int.MaxValue, total);
    }

    /// <summary>The size of a type whose values all take the same number of bytes, else null.</summary>
    public int? FixedSize(IdlType type, GenericScope scope, int depth = 0)
    {
        if (depth > MaxDepth) return null;
        switch (type)
        {
            case IdlPrimitive p: return PrimitiveSize(p.Kind);
            case IdlArray a:
            {
                var n = a.GenericLength is { } g ? scope.LengthOf(g) : a.Length;
                return FixedSize(a.Inner, scope, depth + 1) is { } s ? (int)Math.Min(int.MaxValue, (long)s * n) : null;
            }
            case IdlCOption c: return FixedSize(c.Inner, scope, depth + 1) is { } innerSize ? 4 + innerSize : null;
            case IdlDefined d:
            {
                var def = Type(d.Name);
                var inner = GenericScope.For(def, d.Generics, scope);
                return def.Body switch
                {
                    IdlStructBody s => FixedFields(s.Fields, inner, depth + 1),
                    IdlAliasBody a => FixedSize(a.Value, inner, depth + 1),
                    _ => null,
                };
            }
            case IdlGenericRef g:
            {
                var (t, outer) = scope.TypeOf(g.Name);
                return FixedSize(t, outer, depth + 1);
            }
            case IdlInlineStruct s: return FixedFields(s.Fields, scope, depth + 1);
            default: return null;
        }
    }

    private int? FixedFields(IdlFields fields, GenericScope scope, int depth)
    {
        var types = fields.Named?.Select(f => f.Type) ?? fields.Tuple ?? [];
        var total = 0;
        foreach (var t in types)
        {
            if (FixedSize(t, scope, depth) is not { } s) return null;
            total += s;
        }
        return total;
    }

    private static int? PrimitiveSize(IdlPrimitiveKind kind) => kind switch
    {
        IdlPrimitiveKind.Bool or IdlPrimitiveKind.U8 or IdlPrimitiveKind.I8 => 1,
        IdlPrimitiveKind.U16 or IdlPrimitiveKind.I16 => 2,
        IdlPrimitiveKind.U32 or IdlPrimitiveKind.I32 or IdlPrimitiveKind.F32 => 4,
        IdlPrimitiveKind.U64 or IdlPrimitiveKind.I64 or IdlPrimitiveKind.F64 => 8,
        IdlPrimitiveKind.U128 or IdlPrimitiveKind.I128 => 16,
        IdlPrimitiveKind.U256 or IdlPrimitiveKind.I256 => 32,
        IdlPrimitiveKind.Pubkey => 32,
        _ => null,
    };

    // ---------------------------------------------------------------- encode

    public void Encode(BorshWriter w, IdlType type, JsonNode? value, GenericScope scope, string path, int depth = 0)
    {
        if (depth > MaxDepth) throw new AnchorCoderException("The value nests deeper than " + MaxDepth + " levels.");
        switch (type)
        {
            case IdlPrimitive p:
                EncodePrimitive(w, p.Kind, value, path);
                return;
            case IdlOption o:
                if (value is null) w.U8(0);
                else
                {
                    w.U8(1);
                    Encode(w, o.Inner, value, scope, path, depth + 1);
                }
                return;
            case IdlCOption c:
                if (value is null)
                {
                    w.U32(0);
                    w.Bytes(new byte[FixedSize(c.Inner, scope) ?? throw new AnchorCoderException("A COption of a variable-size type is not supported.")]);
                }
                else
                {
                    w.U32(1);
                    Encode(w, c.Inner, value, scope, path, depth + 1);
                }
                return;
            case IdlVec v:
            {
                var array = value as JsonArray ?? throw Mismatch(path, "an array", value);
                w.U32((uint)array.Count);
                for (var i = 0; i < array.Count; i++) Encode(w, v.Inner, array[i], scope, $"{path}[{i}]", depth + 1);
                return;
            }
            case IdlArray a:
            {
                var n = a.GenericLength is { } g ? scope.LengthOf(g) : a.Length;
                var array = value as JsonArray ?? throw Mismatch(path, "an array", value);
                if (array.Count != n) throw new AnchorCoderException($"{path}: the array has {array.Count} items, the type [T; {n}].");
                for (var i = 0; i < n; i++) Encode(w, a.Inner, array[i], scope, $"{path}[{i}]", depth + 1);
                return;
            }
            case IdlDefined d:
            {
                var def = Type(d.Name);
                EncodeDef(w, def, value, GenericScope.For(def, d.Generics, scope), path, depth + 1);
                return;
            }
            case IdlGenericRef g:
            {
                var (t, outer) = scope.TypeOf(g.Name);
                Encode(w, t, value, outer, path, depth + 1);
                return;
            }
            case IdlInlineStruct s:
                EncodeFields(w, s.Fields, value, scope, path, depth + 1);
                return;
            default:
                throw new AnchorCoderException($"Unsupported IDL type {type}.");
        }
    }

    private void EncodeDef(BorshWriter w, IdlTypeDef def, JsonNode? value, GenericScope scope, string path, int depth)
    {
        if (def.Serialization != "borsh")
            throw new AnchorCoderException($"Type {def.Name} uses {def.Serialization} serialization; only borsh is supported.");
        switch (def.Body)
        {
            case IdlStructBody s:
                EncodeFields(w, s.Fields, value, scope, path, depth);
                return;
            case IdlEnumBody e:
            {
                var obj = value as JsonObject ?? throw Mismatch(path, $"an object naming one variant of {def.Name}", value);
                if (obj.Count != 1) throw new AnchorCoderException($"{path}: an enum value names exactly one variant, not {obj.Count}.");
                var (name, fields) = obj.First();
                var index = -1;
                for (var i = 0; i < e.Variants.Count; i++)
                    if (e.Variants[i].Name == name) index = i;
                if (index < 0 || index > byte.MaxValue) throw new AnchorCoderException($"{path}: {def.Name} has no variant {name}.");
                w.U8((byte)index);
                EncodeFields(w, e.Variants[index].Fields, fields ?? new JsonObject(), scope, $"{path}.{name}", depth);
                return;
            }
            case IdlAliasBody a:
                Encode(w, a.Value, value, scope, path, depth);
                return;
            default:
                throw new AnchorCoderException($"Unsupported type definition {def.Name}.");
        }
    }

    public void EncodeFields(BorshWriter w, IdlFields fields, JsonNode? value, GenericScope scope, string path, int depth)
    {
        if (fields.IsNone) return;
        if (fields.Named is { } named)
        {
            var obj = value as JsonObject ?? throw Mismatch(path, "an object", value);
            foreach (var f in named)
            {
                if (!obj.TryGetPropertyValue(f.Name, out var v)) throw new AnchorCoderException($"{path}: field {f.Name} is missing.");
                Encode(w, f.Type, v, scope, $"{path}.{f.Name}", depth + 1);
            }
        }
        else if (fields.Tuple is { } tuple)
        {
            for (var i = 0; i < tuple.Count; i++)
            {
                var key = i.ToString(CultureInfo.InvariantCulture);
                var v = value switch
                {
                    JsonObject o when o.TryGetPropertyValue(key, out var x) => x,
                    JsonArray a when i < a.Count => a[i],
                    _ => throw new AnchorCoderException($"{path}: tuple field {key} is missing."),
                };
                Encode(w, tuple[i], v, scope, $"{path}.{key}", depth + 1);
            }
        }
    }

    private static void EncodePrimitive(BorshWriter w, IdlPrimitiveKind kind, JsonNode? value, string path)
    {
        switch (kind)
        {
            case IdlPrimitiveKind.Bool:
                w.U8(value?.GetValueKind() switch
                {
                    JsonValueKind.True => 1,
                    JsonValueKind.False => 0,
                    _ => throw Mismatch(path, "true or false", value),
                });
                return;
            case IdlPrimitiveKind.U8: w.U8((byte)Integer(value, path, 0, byte.MaxValue)); return;
            case IdlPrimitiveKind.I8: w.U8((byte)(sbyte)Integer(value, path, sbyte.MinValue, sbyte.MaxValue)); return;
            case IdlPrimitiveKind.U16: w.U16((ushort)Integer(value, path, 0, ushort.MaxValue)); return;
            case IdlPrimitiveKind.I16: w.U16((ushort)(short)Integer(value, path, short.MinValue, short.MaxValue)); return;
            case IdlPrimitiveKind.U32: w.U32((uint)Integer(value, path, 0, uint.MaxValue)); return;
            case IdlPrimitiveKind.I32: w.U32((uint)(int)Integer(value, path, int.MinValue, int.MaxValue)); return;
            case IdlPrimitiveKind.U64: w.U64((ulong)Integer(value, path, 0, ulong.MaxValue)); return;
            case IdlPrimitiveKind.I64: w.U64((ulong)(long)Integer(value, path, long.MinValue, long.MaxValue)); return;
            case IdlPrimitiveKind.U128: WriteBig(w, Integer(value, path, 0, BigInteger.Pow(2, 128) - 1), 16); return;
            case IdlPrimitiveKind.I128: WriteBig(w, Integer(value, path, -BigInteger.Pow(2, 127), BigInteger.Pow(2, 127) - 1), 16); return;
            case IdlPrimitiveKind.U256: WriteBig(w, Integer(value, path, 0, BigInteger.Pow(2, 256) - 1), 32); return;
            case IdlPrimitiveKind.I256: WriteBig(w, Integer(value, path, -BigInteger.Pow(2, 255), BigInteger.Pow(2, 255) - 1), 32); return;
            // NaN is written as the canonical positive quiet NaN (as JavaScript writes it).
            case IdlPrimitiveKind.F32:
            {
                var f = Real(value, path);
                w.U32(double.IsNaN(f) ? 0x7fc0_0000u : (uint)BitConverter.SingleToInt32Bits((float)f));
                return;
            }
            case IdlPrimitiveKind.F64:
            {
                var f = Real(value, path);
                w.U64(double.IsNaN(f) ? 0x7ff8_0000_0000_0000ul : (ulong)BitConverter.DoubleToInt64Bits(f));
                return;
            }
            case IdlPrimitiveKind.Bytes:
            {
                byte[] bytes;
                try
                {
                    bytes = Convert.FromBase64String(Text(value, path, "base64 bytes"));
                }
                catch (FormatException e)
                {
                    throw new AnchorCoderException($"{path}: bytes are not valid base64.", e);
                }
                w.U32((uint)bytes.Length);
                w.Bytes(bytes);
                return;
            }
            case IdlPrimitiveKind.String:
            {
                byte[] bytes;
                try
                {
                    bytes = StrictUtf8.GetBytes(Text(value, path, "a string"));
                }
                catch (EncoderFallbackException e)
                {
                    throw new AnchorCoderException($"{path}: the string is not valid Unicode.", e);
                }
                w.U32((uint)bytes.Length);
                w.Bytes(bytes);
                return;
            }
            case IdlPrimitiveKind.Pubkey:
                w.Bytes(PublicKey.TryParse(Text(value, path, "a base58 public key"), out var key)
                    ? key.Bytes
                    : throw new AnchorCoderException($"{path}: not a base58 public key."));
                return;
            default:
                throw new AnchorCoderException($"Unsupported primitive {kind}.");
        }
    }

    private static void WriteBig(BorshWriter w, BigInteger value, int size)
    {
        Span<byte> bytes = stackalloc byte[size];
        bytes.Fill(value.Sign < 0 ? (byte)0xff : (byte)0);
        // In range (checked by the caller), so it fits: unsigned values without a sign byte, signed ones two's complement.
        if (!value.TryWriteBytes(bytes, out _, isUnsigned: value.Sign >= 0 && value.GetByteCount(isUnsigned: true) == size, isBigEndian: false))
            throw new AnchorCoderException($"{value} does not fit in {size} bytes.");
        w.Bytes(bytes);
    }

    private static BigInteger Integer(JsonNode? value, string path, BigInteger min, BigInteger max)
    {
        var text = value?.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            _ => throw Mismatch(path, "an integer (number or decimal string)", value),
        };
        if (!BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            throw new AnchorCoderException($"{path}: \"{text}\" is not an integer.");
        if (n < min || n > max) throw new AnchorCoderException($"{path}: {n} is out of range [{min}, {max}].");
        return n;
    }

    private static double Real(JsonNode? value, string path)
    {
        switch (value?.GetValueKind())
        {
            case JsonValueKind.Number:
                return double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
            case JsonValueKind.String:
                return value.GetValue<string>() switch
                {
                    "NaN" => double.NaN,
                    "Infinity" => double.PositiveInfinity,
                    "-Infinity" => double.NegativeInfinity,
                    var s => throw new AnchorCoderException($"{path}: \"{s}\" is not a number."),
                };
            default:
                throw Mismatch(path, "a number", value);
        }
    }

    private static string Text(JsonNode? value, string path, string what) =>
        value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw Mismatch(path, what, value);

    private static AnchorCoderException Mismatch(string path, string expected, JsonNode? value) =>
        new($"{path}: expected {expected}, got {(value is null ? "null" : value.ToJsonString())}.");
}
