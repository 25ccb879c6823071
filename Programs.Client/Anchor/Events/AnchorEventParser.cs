using IoNet.Solana.Keys;

namespace IoNet.Programs.Anchor.Events;

/// <summary>
/// Finds and decodes the events of the configured Anchor programs (one coder per program id) in a transaction's logs
/// and inner instructions. Lines and instructions of other programs are skipped. With <c>strict</c> (the default) a
/// configured program's line that cannot be decoded (bad base64, unknown discriminator, bad Borsh) throws an
/// <see cref="AnchorCoderException"/>; otherwise it is skipped.
/// </summary>
public sealed class AnchorEventParser
{
    private readonly Dictionary<PublicKey, AnchorCoder> _coders = [];
    private readonly bool _strict;

    public AnchorEventParser(IEnumerable<AnchorCoder> coders, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(coders);
        foreach (var coder in coders)
        {
            var id = coder.ProgramId ?? throw new AnchorCoderException($"The coder for {coder.Idl.Name} has no program id.");
            _coders[id] = coder;
        }
        _strict = strict;
    }

    public AnchorEventParser(params AnchorCoder[] coders) : this((IEnumerable<AnchorCoder>)coders) { }

    /// <summary>The same programs, skipping what does not decode instead of throwing.</summary>
    public AnchorEventParser Lenient() => _strict ? new AnchorEventParser(_coders.Values, strict: false) : this;

    /// <summary>The configured programs' ids.</summary>
    public IReadOnlyCollection<PublicKey> Programs => _coders.Keys;

    /// <summary>Events from `Program data:` lines, each attributed by the invoke stack to the program that logged it.</summary>
    public IReadOnlyList<AnchorEvent> ParseLogs(IReadOnlyList<string?> logs)
    {
        var events = new List<AnchorEvent>();
        foreach (var line in ProgramLogs.DataLines(logs))
        {
            if (line.ProgramId is not { } program || !_coders.TryGetValue(program, out var coder)) continue;
            try
            {
                var decoded = coder.DecodeEvent(line.Decode());
                events.Add(new AnchorEvent(decoded.Name, program, decoded.Data, new AnchorEventOrigin.LogLine(line.LineIndex)));
            }
            catch (AnchorCoderException e) when (_strict)
            {
                throw new AnchorCoderException($"Log line {line.LineIndex} of {program}: {e.Message}", e);
            }
            catch (AnchorCoderException)
            {
                // Not strict: skip what cannot be decoded.
            }
        }
        return events;
    }

    /// <summary>Events from emit_cpi! inner instructions of the configured programs (data = tag + discriminator + Borsh).</summary>
    public IReadOnlyList<AnchorEvent> ParseInnerInstructions(IEnumerable<InnerInstructionData> inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        var events = new List<AnchorEvent>();
        foreach (var ix in CpiEvents.Find(inner))
        {
            if (!_coders.TryGetValue(ix.ProgramId, out var coder)) continue;
            try
            {
                var decoded = coder.DecodeEvent(CpiEvents.EventBytes(ix.Data));
                events.Add(new AnchorEvent(decoded.Name, ix.ProgramId, decoded.Data,
                    new AnchorEventOrigin.InnerInstruction(ix.InstructionIndex, ix.Position)));
            }
            catch (AnchorCoderException e) when (_strict)
            {
                throw new AnchorCoderException($"Inner instruction {ix.InstructionIndex}.{ix.Position} of {ix.ProgramId}: {e.Message}", e);
            }
            catch (AnchorCoderException)
            {
            }
        }
        return events;
    }
}
