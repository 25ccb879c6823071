namespace IoNet.Solana.Transactions;

/// <summary>How keys are ordered inside each of the four signer/writable groups when a message is compiled.</summary>
public enum KeyOrdering
{
    /// <summary>By key bytes, as solana-sdk's CompiledKeys (a BTreeMap) does: the reference behaviour.</summary>
    SolanaSdk,

    /// <summary>In order of first appearance (payer, then each instruction's program and accounts), as @solana/web3.js and @solana/kit compile.</summary>
    FirstSeen,
}
