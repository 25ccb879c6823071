namespace IoNet.Programs.Anchor.Events;

/// <summary>emit_cpi! events: a self-invoked instruction whose data is EVENT_IX_TAG (e445a52e51cb9a1d), the event discriminator, then Borsh.</summary>
public static class CpiEvents
{
    public static bool IsEventInstruction(ReadOnlySpan<byte> data) =>
        data.Length >= Discriminators.EventInstructionTag.Length && data.StartsWith(Discriminators.EventInstructionTag);

    /// <summary>The event bytes (discriminator + Borsh) after the tag; throws if the data is not an event instruction.</summary>
    public static ReadOnlyMemory<byte> EventBytes(ReadOnlyMemory<byte> data) =>
        IsEventInstruction(data.Span)
            ? data[Discriminators.EventInstructionTag.Length..]
            : throw new AnchorCoderException("The instruction data does not start with the Anchor event tag e445a52e51cb9a1d.");

    /// <summary>The inner instructions that are event instructions (any program; no IDL needed).</summary>
    public static IEnumerable<InnerInstructionData> Find(IEnumerable<InnerInstructionData> inner) =>
        inner.Where(i => IsEventInstruction(i.Data.Span));
}
