namespace IoNet.Programs.Anchor.Idl;

public enum IdlFormat { Anchor030, Legacy }

/// <summary>An Anchor IDL, either format, normalised: every instruction, account and event has its discriminator.</summary>
public sealed record AnchorIdl(
    IdlFormat Format,
    string? Address,
    string Name,
    string? Version,
    string? Spec,
    string? Description,
    IReadOnlyList<IdlInstruction> Instructions,
    IReadOnlyList<IdlAccountDef> Accounts,
    IReadOnlyList<IdlEvent> Events,
    IReadOnlyList<IdlErrorCode> Errors,
    IReadOnlyList<IdlTypeDef> Types,
    IReadOnlyList<IdlConstant> Constants)
{
    /// <summary>Reads either IDL format from JSON; any problem is an <see cref="AnchorCoderException"/>.</summary>
    public static AnchorIdl Parse(string json) => IdlLoader.Parse(json);

    public IdlTypeDef? FindType(string name) => Types.FirstOrDefault(t => t.Name == name);
}

public sealed record IdlInstruction(
    string Name, byte[] Discriminator, IReadOnlyList<IdlAccountItem> Accounts, IReadOnlyList<IdlField> Args, IdlType? Returns);

/// <summary>An instruction's account: a single account or a named group of accounts (an Anchor composite).</summary>
public abstract record IdlAccountItem(string Name);

public sealed record IdlInstructionAccount(string Name, bool Writable, bool Signer, bool Optional, string? Address)
    : IdlAccountItem(Name);

public sealed record IdlAccountGroup(string Name, IReadOnlyList<IdlAccountItem> Accounts) : IdlAccountItem(Name);

/// <summary>An account type: its discriminator and the struct it holds (from the types, or inline in a legacy IDL).</summary>
public sealed record IdlAccountDef(string Name, byte[] Discriminator, IdlType Type);

/// <summary>An event: its discriminator and its struct (from the types, or inline fields in a legacy IDL).</summary>
public sealed record IdlEvent(string Name, byte[] Discriminator, IdlType Type);

public sealed record IdlErrorCode(int Code, string Name, string? Message);

public sealed record IdlConstant(string Name, IdlType Type, string Value);
