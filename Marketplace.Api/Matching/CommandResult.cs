using IoNet.Ledger.Market;

namespace IoNet.Marketplace.Matching;

/// <summary>Why the engine refused a command (nothing changed and nothing is journaled).</summary>
public enum RejectionCode
{
    /// <summary>A field is missing, malformed or out of <see cref="MarketLimits"/>.</summary>
    Invalid = 1,
    /// <summary>The order id is already in the book.</summary>
    Duplicate,
    /// <summary>No such order, device ask or rental.</summary>
    NotFound,
    /// <summary>The acting wallet does not own the order.</summary>
    NotOwner,
    /// <summary>The device already has an ask in the book or is hired.</summary>
    Conflict,
    /// <summary>The command would change nothing (e.g. eligibility already so).</summary>
    Unchanged,
}

/// <summary>A refusal and its reason, one line fit for a user.</summary>
public sealed record Rejection(RejectionCode Code, string Reason);

/// <summary>
/// What a command did: accepted with the events to journal (in order), or rejected with a reason. An accepted command's
/// events have already been applied to the engine.
/// </summary>
public readonly struct CommandResult
{
    private static readonly IReadOnlyList<IMarketEvent> NoEvents = [];

    private CommandResult(IReadOnlyList<IMarketEvent> events, Rejection? rejection)
    {
        Events = events;
        Rejection = rejection;
    }

    /// <summary>The events to journal, in order; empty when rejected (and possibly when accepted, e.g. an idle clock).</summary>
    public IReadOnlyList<IMarketEvent> Events { get; }

    /// <summary>Why the command was refused; null when accepted.</summary>
    public Rejection? Rejection { get; }

    public bool Accepted => Rejection is null;

    internal static CommandResult Of(IReadOnlyList<IMarketEvent> events) => new(events, null);

    internal static CommandResult Refuse(RejectionCode code, string reason) => new(NoEvents, new Rejection(code, reason));
}
