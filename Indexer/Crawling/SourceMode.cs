namespace IoNet.Indexer.Crawling;

/// <summary>How a tracked source is crawled.</summary>
public enum SourceMode
{
    /// <summary>getSignaturesForAddress pages, then getTransaction for each signature (the default).</summary>
    Signatures,

    /// <summary>
    /// getBlocks over a slot range, then getBlock for each (base64, full details), keeping the transactions whose
    /// account keys hold the address: one request per slot instead of one per signature, for dense addresses.
    /// </summary>
    Blocks,
}
