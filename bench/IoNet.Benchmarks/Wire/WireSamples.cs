using IoNet.Solana.Keys;
using IoNet.Solana.Messages;
using IoNet.Solana.Transactions;

namespace IoNet.Benchmarks.Wire;

/// <summary>Deterministic inputs for the wire benchmarks: a ~1 KB signed v0 transaction and its six instructions.</summary>
internal static class WireSamples
{
    public static readonly Keypair[] Signers = [.. Enumerable.Range(1, 3).Select(n => Keypair.FromSeed(Bytes(32, n)))];

    public static readonly PublicKey[] Accounts = [.. Enumerable.Range(100, 14).Select(n => new PublicKey(Bytes(32, n)))];

    public static readonly PublicKey[] Programs = [.. Enumerable.Range(200, 3).Select(n => new PublicKey(Bytes(32, n)))];

    public static readonly Blockhash RecentBlockhash = new(Bytes(32, 7));

    /// <summary>Two tables holding six of the accounts (and some keys the message does not use).</summary>
    public static readonly AddressLookupTableAccount[] Tables =
    [
        new(new PublicKey(Bytes(32, 300)), [Accounts[8], new PublicKey(Bytes(32, 301)), Accounts[9], Accounts[10]]),
        new(new PublicKey(Bytes(32, 302)), [new PublicKey(Bytes(32, 303)), Accounts[11], Accounts[12], Accounts[13]]),
    ];

    /// <summary>Six instructions in the shape of a swap: signers, writable and read-only accounts, 8..120 data bytes.</summary>
    public static readonly TransactionInstruction[] Instructions =
    [
        .. Enumerable.Range(0, 6).Select(i => new TransactionInstruction(
            Programs[i % Programs.Length],
            [
                new AccountMeta(Signers[i % 3].PublicKey, true, i % 2 == 0),
                new AccountMeta(Accounts[i], false, true),
                new AccountMeta(Accounts[i + 1], false, false),
                new AccountMeta(Accounts[(i * 5) % 14], false, i % 3 == 0),
                new AccountMeta(Accounts[8 + i], false, i % 2 == 1),
                new AccountMeta(Programs[(i + 1) % Programs.Length], false, false),
            ],
            Bytes(8 + i * 22, 400 + i))),
    ];

    public static readonly Message Message = MessageCompiler.CompileV0(Signers[0].PublicKey, Instructions, RecentBlockhash, Tables);

    public static readonly byte[] Transaction = new Transaction(Message).Sign(Signers).Serialize();

    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
