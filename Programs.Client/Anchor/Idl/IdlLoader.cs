using System.Globalization;
using System.Text.Json;

namespace IoNet.Programs.Anchor.Idl;

/// <summary>
/// Reads an Anchor IDL. The 0.30+ format has `address`, `metadata` and discriminators; the legacy (pre-0.30) format has
/// `name`/`version` at the top, isMut/isSigner, `defined: "Name"`, `publicKey`, events with inline fields and no
/// discriminators (they come from the sha256 rule, instruction names converted to snake_case first).
/// </summary>
internal static class IdlLoader
{
    public static AnchorIdl Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new AnchorCoderException("The IDL is not valid JSON: " + e.Message, e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Bad("the IDL is not a JSON object");
            var legacy = !root.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object
                || (root.TryGetProperty("name", out _) && !root.TryGetProperty("address", out _));
            return legacy ? ParseLegacy(root) : ParseCurrent(root, metadata);
        }
    }

    private static AnchorIdl ParseCurrent(JsonElement root, JsonElement metadata)
    {
        var types = List(root, "types", t => ParseTypeDef(t, legacy: false));
        var typeNames = types.ToDictionary(t => t.Name, t => t, StringComparer.Ordinal);
        return new AnchorIdl(
            IdlFormat.Anchor030,
            OptString(root, "address"),
            Str(metadata, "name"),
            OptString(metadata, "version"),
            OptString(metadata, "spec"),
            OptString(metadata, "description"),
            List(root, "instructions", i => new IdlInstruction(
                Str(i, "name"),
                Discriminator(i, () => Discriminators.Instruction(Str(i, "name"))),
                List(i, "accounts", a => ParseAccountItem(a, legacy: false)),
                List(i, "args", a => ParseField(a, legacy: false)),
                i.TryGetProperty("returns", out var r) && r.ValueKind != JsonValueKind.Null ? ParseType(r, legacy: false) : null)),
            List(root, "accounts", a => new IdlAccountDef(
                Str(a, "name"), Discriminator(a, () => Discriminators.Account(Str(a, "name"))), NamedType(a, typeNames))),
            List(root, "events", e => new IdlEvent(
                Str(e, "name"), Discriminator(e, () => Discriminators.Event(Str(e, "name"))), NamedType(e, typeNames))),
            List(root, "errors", ParseError),
            types,
            List(root, "constants", c => new IdlConstant(Str(c, "name"), ParseType(Prop(c, "type"), false), Str(c, "value"))));
    }

    private static AnchorIdl ParseLegacy(JsonElement root)
    {
        string? address = null;
        if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
            address = OptString(metadata, "address");
        return new AnchorIdl(
            IdlFormat.Legacy,
            address,
            Str(root, "name"),
            OptString(root, "version"),
            null,
            null,
            List(root, "instructions", i => new IdlInstruction(
                Str(i, "name"),
                Discriminator(i, () => Discriminators.Instruction(Str(i, "name"))),
                List(i, "accounts", a => ParseAccountItem(a, legacy: true)),
                List(i, "args", a => ParseField(a, legacy: true)),
                i.TryGetProperty("returns", out var r) && r.ValueKind != JsonValueKind.Null ? ParseType(r, legacy: true) : null)),
            List(root, "accounts", a => new IdlAccountDef(
                Str(a, "name"),
                Discriminator(a, () => Discriminators.Account(Str(a, "name"))),
                InlineStruct(ParseTypeDef(a, legacy: true), Str(a, "name")))),
            List(root, "events", e => new IdlEvent(
                Str(e, "name"),
                Discriminator(e, () => Discriminators.Event(Str(e, "name"))),
                new IdlInlineStruct(new IdlFields(List(e, "fields", f => ParseField(f, legacy: true)), null)))),
            List(root, "errors", ParseError),
            List(root, "types", t => ParseTypeDef(t, legacy: true)),
            List(root, "constants", c => new IdlConstant(Str(c, "name"), ParseType(Prop(c, "type"), true), Str(c, "value"))));
    }

    private static IdlType InlineStruct(IdlTypeDef def, string name) => def.Body is IdlStructBody s
        ? new IdlInlineStruct(s.Fields)
        : throw Bad($"account {name} is not a struct");

    private static IdlType NamedType(JsonElement item, Dictionary<string, IdlTypeDef> types)
    {
        var name = Str(item, "name");
        if (item.TryGetProperty("type", out var inline) && inline.ValueKind == JsonValueKind.Object)
            return InlineStruct(ParseTypeDef(item, legacy: false), name);
        if (!types.ContainsKey(name)) throw Bad($"no type named {name} for the account or event of that name");
        return new IdlDefined(name, []);
    }

    private static IdlErrorCode ParseError(JsonElement e) => new(
        Prop(e, "code") is { ValueKind: JsonValueKind.Number } c && c.TryGetInt32(out var code) ? code : throw Bad("an error code is not an integer"),
        Str(e, "name"),
        OptString(e, "msg"));

    private static IdlAccountItem ParseAccountItem(JsonElement a, bool legacy)
    {
        var name = Str(a, "name");
        if (a.TryGetProperty("accounts", out _))
            return new IdlAccountGroup(name, List(a, "accounts", x => ParseAccountItem(x, legacy)));
        return legacy
            ? new IdlInstructionAccount(name, Bool(a, "isMut"), Bool(a, "isSigner"), Bool(a, "isOptional"), null)
            : new IdlInstructionAccount(name, Bool(a, "writable"), Bool(a, "signer"), Bool(a, "optional"), OptString(a, "address"));
    }

    private static IdlField ParseField(JsonElement f, bool legacy) => new(Str(f, "name"), ParseType(Prop(f, "type"), legacy));

    private static IdlTypeDef ParseTypeDef(JsonElement t, bool legacy)
    {
        var name = Str(t, "name");
        var ty = Prop(t, "type");
        if (ty.ValueKind != JsonValueKind.Object) throw Bad($"type {name} has no type object");
        var kind = Str(ty, "kind");
        IdlTypeDefBody body = kind switch
        {
            "struct" => new IdlStructBody(ParseFields(ty, "fields", legacy)),
            "enum" => new IdlEnumBody(List(ty, "variants", v => new IdlEnumVariant(Str(v, "name"), ParseFields(v, "fields", legacy)))),
            "type" or "alias" => new IdlAliasBody(ParseType(Prop(ty, ty.TryGetProperty("alias", out _) ? "alias" : "value"), legacy)),
            _ => throw Bad($"type {name} has unknown kind {kind}"),
        };
        var generics = List(t, "generics", g => new IdlGenericParam(Str(g, "name"), OptString(g, "kind") == "const"));
        var serialization = OptString(t, "serialization") ?? "borsh";
        return new IdlTypeDef(name, body, generics, serialization);
    }

    private static IdlFields ParseFields(JsonElement owner, string property, bool legacy)
    {
        if (!owner.TryGetProperty(property, out var fields) || fields.ValueKind == JsonValueKind.Null) return IdlFields.None;
        if (fields.ValueKind != JsonValueKind.Array) throw Bad($"{property} is not an array");
        if (fields.GetArrayLength() == 0) return new IdlFields([], null);
        // Named fields are objects with a name; tuple fields are bare types (strings, or objects without "name").
        var named = fields.EnumerateArray().All(f => f.ValueKind == JsonValueKind.Object && f.TryGetProperty("name", out _));
        return named
            ? new IdlFields([.. fields.EnumerateArray().Select(f => ParseField(f, legacy))], null)
            : new IdlFields(null, [.. fields.EnumerateArray().Select(f => ParseType(f, legacy))]);
    }

    internal static IdlType ParseType(JsonElement t, bool legacy)
    {
        if (t.ValueKind == JsonValueKind.String)
        {
            var s = t.GetString()!;
            return s switch
            {
                "bool" => IdlType.Of(IdlPrimitiveKind.Bool),
                "u8" => IdlType.Of(IdlPrimitiveKind.U8),
                "i8" => IdlType.Of(IdlPrimitiveKind.I8),
                "u16" => IdlType.Of(IdlPrimitiveKind.U16),
                "i16" => IdlType.Of(IdlPrimitiveKind.I16),
                "u32" => IdlType.Of(IdlPrimitiveKind.U32),
                "i32" => IdlType.Of(IdlPrimitiveKind.I32),
                "f32" => IdlType.Of(IdlPrimitiveKind.F32),
                "u64" => IdlType.Of(IdlPrimitiveKind.U64),
                "i64" => IdlType.Of(IdlPrimitiveKind.I64),
                "f64" => IdlType.Of(IdlPrimitiveKind.F64),
                "u128" => IdlType.Of(IdlPrimitiveKind.U128),
                "i128" => IdlType.Of(IdlPrimitiveKind.I128),
                "u256" => IdlType.Of(IdlPrimitiveKind.U256),
                "i256" => IdlType.Of(IdlPrimitiveKind.I256),
                "bytes" => IdlType.Of(IdlPrimitiveKind.Bytes),
                "string" => IdlType.Of(IdlPrimitiveKind.String),
                "pubkey" or "publicKey" => IdlType.Of(IdlPrimitiveKind.Pubkey),
                _ => throw Bad($"unknown type \"{s}\""),
            };
        }
        if (t.ValueKind != JsonValueKind.Object) throw Bad("a type is neither a string nor an object");
        using var props = t.EnumerateObject();
        if (!props.MoveNext()) throw Bad("an empty type object");
        var p = props.Current;
        return p.Name switch
        {
            "option" => new IdlOption(ParseType(p.Value, legacy)),
            "coption" => new IdlCOption(ParseType(p.Value, legacy)),
            "vec" => new IdlVec(ParseType(p.Value, legacy)),
            "array" => ParseArray(p.Value, legacy),
            "defined" => ParseDefined(p.Value, legacy),
            "generic" => new IdlGenericRef(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Bad("generic is not a string")),
            _ => throw Bad($"unknown type {{\"{p.Name}\": ...}}"),
        };
    }

    private static IdlArray ParseArray(JsonElement a, bool legacy)
    {
        if (a.ValueKind != JsonValueKind.Array || a.GetArrayLength() != 2) throw Bad("array is not [type, length]");
        var inner = ParseType(a[0], legacy);
        var len = a[1];
        if (len.ValueKind == JsonValueKind.Number)
            return len.TryGetInt32(out var n) && n >= 0 ? new IdlArray(inner, n) : throw Bad("array length out of range");
        if (len.ValueKind == JsonValueKind.Object && len.TryGetProperty("generic", out var g) && g.ValueKind == JsonValueKind.String)
            return new IdlArray(inner, 0, g.GetString());
        throw Bad("array length is neither a number nor a generic");
    }

    private static IdlDefined ParseDefined(JsonElement d, bool legacy)
    {
        if (d.ValueKind == JsonValueKind.String) return new IdlDefined(d.GetString()!, []);
        if (d.ValueKind != JsonValueKind.Object) throw Bad("defined is neither a name nor an object");
        var generics = List(d, "generics", g => OptString(g, "kind") == "const"
            ? new IdlGenericArg(null, Prop(g, "value").ValueKind == JsonValueKind.String ? Prop(g, "value").GetString() : Prop(g, "value").GetRawText())
            : new IdlGenericArg(ParseType(Prop(g, "type"), legacy), null));
        return new IdlDefined(Str(d, "name"), generics);
    }

    private static byte[] Discriminator(JsonElement item, Func<byte[]> fallback)
    {
        if (!item.TryGetProperty("discriminator", out var d) || d.ValueKind == JsonValueKind.Null) return fallback();
        if (d.ValueKind != JsonValueKind.Array) throw Bad("a discriminator is not an array");
        var bytes = new byte[d.GetArrayLength()];
        var i = 0;
        foreach (var b in d.EnumerateArray())
            bytes[i++] = b.ValueKind == JsonValueKind.Number && b.TryGetByte(out var v) ? v : throw Bad("a discriminator byte is not 0..255");
        return bytes;
    }

    private static List<T> List<T>(JsonElement owner, string property, Func<JsonElement, T> parse)
    {
        if (!owner.TryGetProperty(property, out var array) || array.ValueKind == JsonValueKind.Null) return [];
        if (array.ValueKind != JsonValueKind.Array) throw Bad($"\"{property}\" is not an array");
        var list = new List<T>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw Bad($"an item of \"{property}\" is not an object");
            list.Add(parse(item));
        }
        return list;
    }

    private static JsonElement Prop(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var v) ? v : throw Bad($"\"{name}\" is missing");

    private static string Str(JsonElement owner, string name) =>
        Prop(owner, name) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw Bad($"\"{name}\" is not a string");

    private static string? OptString(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Null => null,
                JsonValueKind.Number => v.GetRawText(),
                _ => throw Bad($"\"{name}\" is not a string"),
            }
            : null;

    private static bool Bool(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False or JsonValueKind.Null => false,
                _ => throw Bad($"\"{name}\" is not a boolean"),
            }
            : false;

    private static AnchorCoderException Bad(string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Malformed IDL: {what}."));
}
