using System.Text.Json.Nodes;
using IoNet.Programs.Anchor.Borsh;
using IoNet.Programs.Anchor.Idl;
using IoNet.Solana.Keys;
using BorshTypeCoder = IoNet.Programs.Anchor.Borsh.BorshCoder;

namespace IoNet.Programs.Anchor;

/// <summary>
/// Encodes and decodes an Anchor program's instructions, accounts and events from its IDL (0.30+ or legacy).
/// JSON conventions: integers up to 32 bits are JSON numbers; 64-bit and wider integers are decimal strings (encoding
/// also takes integral JSON numbers); f32/f64 are numbers, or "NaN"/"Infinity"/"-Infinity"; `bytes` is base64; pubkeys
/// are base58; option/coption are null or the value; vec/array are arrays; structs are objects, tuple fields "0", "1",
/// ...; enums are {"Variant": {fields}} ({} for a unit variant). Every failure is an <see cref="AnchorCoderException"/>.
/// </summary>
public sealed class AnchorCoder
{
    private readonly BorshTypeCoder _borsh;
    private readonly Dictionary<string, IdlInstruction> _instructions;
    private readonly Dictionary<string, IdlAccountDef> _accounts;
    private readonly Dictionary<string, IdlEvent> _events;

    public AnchorCoder(AnchorIdl idl, PublicKey? programId = null)
    {
        Idl = idl;
        _borsh = new BorshTypeCoder(idl);
        _instructions = ByName(idl.Instructions, i => i.Name);
        _accounts = ByName(idl.Accounts, a => a.Name);
        _events = ByName(idl.Events, e => e.Name);
        if (programId is { } id) ProgramId = id;
        else if (idl.Address is { } address)
            ProgramId = PublicKey.TryParse(address, out var key) ? key : throw new AnchorCoderException($"IDL address {address} is not a public key.");
    }

    public static AnchorCoder FromJson(string idlJson, PublicKey? programId = null) => new(AnchorIdl.Parse(idlJson), programId);

    public AnchorIdl Idl { get; }

    /// <summary>The program id: the one given, else the IDL's address (a legacy IDL's metadata.address); null if neither.</summary>
    public PublicKey? ProgramId { get; }

    // ------------------------------------------------------------ instructions

    /// <summary>Instruction data: the discriminator, then the args in order (from an object keyed by arg name).</summary>
    public byte[] EncodeInstruction(string name, JsonNode? args)
    {
        var ix = Find(_instructions, name, "instruction");
        var w = new BorshWriter();
        w.Bytes(ix.Discriminator);
        _borsh.EncodeFields(w, new IdlFields(ix.Args, null), args ?? new JsonObject(), GenericScope.Empty, ix.Name, 0);
        return w.ToArray();
    }

    /// <summary>Decodes instruction data: the instruction is chosen by discriminator; no byte may be left over.</summary>
    public AnchorDecoded DecodeInstruction(ReadOnlyMemory<byte> data)
    {
        var ix = Match(Idl.Instructions, i => i.Discriminator, data.Span, "instruction");
        var r = new BorshReader(data[ix.Discriminator.Length..]);
        var args = _borsh.DecodeFields(r, new IdlFields(ix.Args, null), GenericScope.Empty, 0);
        NoTrailing(r, "instruction " + ix.Name);
        return new AnchorDecoded(ix.Name, args);
    }

    // ------------------------------------------------------------ accounts

    public byte[] EncodeAccount(string name, JsonNode value)
    {
        var account = Find(_accounts, name, "account");
        var w = new BorshWriter();
        w.Bytes(account.Discriminator);
        _borsh.Encode(w, account.Type, value, GenericScope.Empty, account.Name);
        return w.ToArray();
    }

    /// <summary>Decodes account data, chosen by discriminator. Bytes after the struct are allowed (accounts are often larger).</summary>
    public AnchorDecoded DecodeAccount(ReadOnlyMemory<byte> data)
    {
        var account = Match(Idl.Accounts, a => a.Discriminator, data.Span, "account");
        return new AnchorDecoded(account.Name, DecodeValue(account.Type, data[account.Discriminator.Length..], allowTrailing: true, account.Name));
    }

    /// <summary>Decodes account data that must be of the named account type (its discriminator is checked).</summary>
    public JsonNode DecodeAccount(string name, ReadOnlyMemory<byte> data)
    {
        var account = Find(_accounts, name, "account");
        if (!data.Span.StartsWith(account.Discriminator))
            throw new AnchorCoderException($"The data does not start with the discriminator of account {name}.");
        return DecodeValue(account.Type, data[account.Discriminator.Length..], allowTrailing: true, name);
    }

    // ------------------------------------------------------------ events

    /// <summary>An event's bytes as emit! logs them: the discriminator, then the struct.</summary>
    public byte[] EncodeEvent(string name, JsonNode value)
    {
        var ev = Find(_events, name, "event");
        var w = new BorshWriter();
        w.Bytes(ev.Discriminator);
        _borsh.Encode(w, ev.Type, value, GenericScope.Empty, ev.Name);
        return w.ToArray();
    }

    /// <summary>Decodes an event (discriminator + Borsh, no bytes left over); an unknown discriminator throws.</summary>
    public AnchorDecoded DecodeEvent(ReadOnlyMemory<byte> data)
    {
        var ev = Match(Idl.Events, e => e.Discriminator, data.Span, "event");
        return new AnchorDecoded(ev.Name, DecodeValue(ev.Type, data[ev.Discriminator.Length..], allowTrailing: false, ev.Name));
    }

    /// <summary>Whether the data starts with one of the IDL's event discriminators.</summary>
    public bool IsEvent(ReadOnlySpan<byte> data) => TryMatch(Idl.Events, e => e.Discriminator, data) is not null;

    // ------------------------------------------------------------ types

    public byte[] EncodeType(string typeName, JsonNode? value)
    {
        var w = new BorshWriter();
        _borsh.Encode(w, new IdlDefined(typeName, []), value, GenericScope.Empty, typeName);
        return w.ToArray();
    }

    public JsonNode? DecodeType(string typeName, ReadOnlyMemory<byte> data)
    {
        var r = new BorshReader(data);
        var value = _borsh.Decode(r, new IdlDefined(typeName, []), GenericScope.Empty);
        NoTrailing(r, "type " + typeName);
        return value;
    }

    // ------------------------------------------------------------ helpers

    private JsonNode DecodeValue(IdlType type, ReadOnlyMemory<byte> body, bool allowTrailing, string what)
    {
        var r = new BorshReader(body);
        var value = _borsh.Decode(r, type, GenericScope.Empty) ?? throw new AnchorCoderException($"{what} decoded to null.");
        if (!allowTrailing) NoTrailing(r, what);
        return value;
    }

    private static void NoTrailing(BorshReader r, string what)
    {
        if (r.Remaining != 0) throw new AnchorCoderException($"{r.Remaining} bytes are left over after {what}.");
    }

    private static T Match<T>(IReadOnlyList<T> items, Func<T, byte[]> discriminator, ReadOnlySpan<byte> data, string what) where T : class =>
        TryMatch(items, discriminator, data)
        ?? throw new AnchorCoderException(data.Length < Discriminators.Length
            ? $"The data ({data.Length} bytes) is too short for an {what} discriminator."
            : $"No {what} in the IDL has the discriminator {Convert.ToHexStringLower(data[..Discriminators.Length])}.");

    /// <summary>The item whose discriminator starts the data; the longest wins when custom discriminators overlap.</summary>
    private static T? TryMatch<T>(IReadOnlyList<T> items, Func<T, byte[]> discriminator, ReadOnlySpan<byte> data) where T : class
    {
        T? best = null;
        var bestLength = -1;
        foreach (var item in items)
        {
            var d = discriminator(item);
            if (d.Length > bestLength && data.StartsWith(d))
            {
                best = item;
                bestLength = d.Length;
            }
        }
        return best;
    }

    private static T Find<T>(Dictionary<string, T> items, string name, string what) =>
        items.TryGetValue(name, out var item) ? item : throw new AnchorCoderException($"The IDL has no {what} named {name}.");

    private static Dictionary<string, T> ByName<T>(IEnumerable<T> items, Func<T, string> name)
    {
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items) map.TryAdd(name(item), item);
        return map;
    }
}
