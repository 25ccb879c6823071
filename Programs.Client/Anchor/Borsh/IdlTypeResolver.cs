using IoNet.Programs.Anchor.Idl;

namespace IoNet.Programs.Anchor.Borsh;

/// <summary>Generic arguments in scope while coding a generic defined type: name to argument, with the scope it came from.</summary>
internal sealed class GenericScope
{
    public static GenericScope Empty { get; } = new(new Dictionary<string, (IdlGenericArg, GenericScope)>());

    private readonly Dictionary<string, (IdlGenericArg Arg, GenericScope Outer)> _args;

    private GenericScope(Dictionary<string, (IdlGenericArg, GenericScope)> args) => _args = args;

    public static GenericScope For(IdlTypeDef def, IReadOnlyList<IdlGenericArg> args, GenericScope outer)
    {
        if (def.Generics.Count != args.Count)
            throw new AnchorCoderException($"Type {def.Name} takes {def.Generics.Count} generic arguments, not {args.Count}.");
        if (args.Count == 0) return Empty;
        var map = new Dictionary<string, (IdlGenericArg, GenericScope)>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++) map[def.Generics[i].Name] = (args[i], outer);
        return new GenericScope(map);
    }

    public (IdlType Type, GenericScope Scope) TypeOf(string name) =>
        _args.TryGetValue(name, out var a) && a.Arg.Type is { } t
            ? (t, a.Outer)
            : throw new AnchorCoderException($"Generic type parameter {name} has no type argument.");

    public int LengthOf(string name)
    {
        if (!_args.TryGetValue(name, out var a) || a.Arg.Value is null)
            throw new AnchorCoderException($"Generic length {name} has no const argument.");
        return int.TryParse(a.Arg.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new AnchorCoderException($"Generic length {name} = {a.Arg.Value} is not a length.");
    }
}
