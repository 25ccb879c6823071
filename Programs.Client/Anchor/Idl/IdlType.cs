namespace IoNet.Programs.Anchor.Idl;

/// <summary>A type as the IDL writes it: a primitive, a container, a reference to a defined type, or a generic parameter.</summary>
public abstract record IdlType
{
    public static IdlPrimitive Of(IdlPrimitiveKind kind) => new(kind);
}

public enum IdlPrimitiveKind
{
    Bool, U8, I8, U16, I16, U32, I32, F32, U64, I64, F64, U128, I128, U256, I256, Bytes, String, Pubkey,
}

public sealed record IdlPrimitive(IdlPrimitiveKind Kind) : IdlType;

/// <summary>Borsh Option: a 1-byte tag (0 none, 1 some).</summary>
public sealed record IdlOption(IdlType Inner) : IdlType;

/// <summary>The SPL COption: a 4-byte little-endian tag (0 none, 1 some).</summary>
public sealed record IdlCOption(IdlType Inner) : IdlType;

public sealed record IdlVec(IdlType Inner) : IdlType;

/// <summary>[T; N]. <see cref="GenericLength"/> is set instead of a length when N is a const generic.</summary>
public sealed record IdlArray(IdlType Inner, int Length, string? GenericLength = null) : IdlType;

public sealed record IdlDefined(string Name, IReadOnlyList<IdlGenericArg> Generics) : IdlType;

public sealed record IdlGenericRef(string Name) : IdlType;

/// <summary>An argument to a generic defined type: a type, or a const value (array lengths).</summary>
public sealed record IdlGenericArg(IdlType? Type, string? Value);

public sealed record IdlGenericParam(string Name, bool IsConst);

/// <summary>An anonymous struct: the inline fields of a legacy IDL's events and accounts.</summary>
public sealed record IdlInlineStruct(IdlFields Fields) : IdlType;
