namespace IoNet.Programs.Anchor.Idl;

public sealed record IdlField(string Name, IdlType Type);

/// <summary>Fields of a struct or enum variant: named, tuple (unnamed), or none at all.</summary>
public sealed record IdlFields(IReadOnlyList<IdlField>? Named, IReadOnlyList<IdlType>? Tuple)
{
    public static IdlFields None { get; } = new(null, null);
    public bool IsNone => Named is null && Tuple is null;
}

public abstract record IdlTypeDefBody;

public sealed record IdlStructBody(IdlFields Fields) : IdlTypeDefBody;

public sealed record IdlEnumVariant(string Name, IdlFields Fields);

public sealed record IdlEnumBody(IReadOnlyList<IdlEnumVariant> Variants) : IdlTypeDefBody;

public sealed record IdlAliasBody(IdlType Value) : IdlTypeDefBody;

/// <summary>A named type. <see cref="Serialization"/> is "borsh" unless the IDL says otherwise (only borsh is coded).</summary>
public sealed record IdlTypeDef(string Name, IdlTypeDefBody Body, IReadOnlyList<IdlGenericParam> Generics, string Serialization);
