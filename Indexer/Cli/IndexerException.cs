namespace IoNet.Indexer.Cli;

/// <summary>A failure the operator can fix (a bad setting, the database or the node out of reach): the CLI prints its message as one line.</summary>
public sealed class IndexerException : Exception
{
    public IndexerException(string message) : base(message) { }

    public IndexerException(string message, Exception innerException) : base(message, innerException) { }
}
