namespace IoNet.Solana.Tests.Rpc.Server;

/// <summary>What the test server does with the next HTTP request.</summary>
internal abstract record Fault
{
    public sealed record Status(int Code, string? RetryAfter = null) : Fault;

    /// <summary>Never answers (until the client gives up).</summary>
    public sealed record Hang : Fault
    {
        /// <summary>Set when a request has reached this hang.</summary>
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set when the client gave the hanging request up (closed or reset it).</summary>
        public TaskCompletionSource Abandoned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Resets the connection without a response.</summary>
    public sealed record Abort : Fault;

    public sealed record RpcError(int Code, string Message, string? DataJson = null) : Fault;

    /// <summary>Answers this exact body with 200 (chunked, or with its Content-Length when <paramref name="DeclareLength"/>).</summary>
    public sealed record Raw(string Body, bool DeclareLength = false) : Fault;

    /// <summary>Answers 200 with a body that never ends (64 KiB chunks until the client goes away).</summary>
    public sealed record Endless : Fault;

    /// <summary>Answers normally after a delay.</summary>
    public sealed record Delay(TimeSpan By) : Fault;
}
