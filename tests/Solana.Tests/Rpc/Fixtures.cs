using System.Buffers.Binary;
using System.Text.Json;
using IoNet.Solana.Rpc;
using IoNet.TestSupport;
using SimpleBase;

namespace IoNet.Solana.Tests.Rpc;

internal static class Fixtures
{
    public const string Token = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
    public const string Token2022 = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
    public const string SystemProgram = "11111111111111111111111111111111";
    public const string ComputeBudget = "ComputeBudget111111111111111111111111111111";
    public const string Ata = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL";
    public const string Vote = "Vote111111111111111111111111111111111111111";

    public static string[] All => Directory.GetFiles(RepoPaths.FixtureFile("rpc"), "*.json").Select(Path.GetFileName).ToArray()!;

    public static byte[] Bytes(string name) => File.ReadAllBytes(RepoPaths.FixtureFile("rpc", name));

    public static TransactionResponse Transaction(string name) => RpcJson.ParseTransaction(Bytes(name)).ShouldNotBeNull();

    public static byte[] Data(UiInstruction ix) => Base58.Bitcoin.Decode(ix.Data.ShouldNotBeNull());

    public static ulong U64(byte[] data, int at) => BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at));

    public static string Hex(byte[] data, int length) => Convert.ToHexStringLower(data, 0, length);

    public static string MetaJson(TransactionMeta meta) => JsonSerializer.Serialize(meta, SolanaRpcJsonContext.Default.TransactionMeta);

    public static IEnumerable<UiInstruction> Inner(TransactionMeta meta) => meta.InnerInstructions!.SelectMany(g => g.Instructions);

    public static long Delta(TransactionMeta meta, int index) => (long)meta.PostBalances[index] - (long)meta.PreBalances[index];

    public static TokenBalance? Pre(TransactionMeta meta, int index) => meta.PreTokenBalances!.SingleOrDefault(b => b.AccountIndex == index);

    public static TokenBalance? Post(TransactionMeta meta, int index) => meta.PostTokenBalances!.SingleOrDefault(b => b.AccountIndex == index);

    /// <summary>Indexes whose lamports changed.</summary>
    public static int[] Changed(TransactionMeta meta) =>
        Enumerable.Range(0, meta.PreBalances.Count).Where(i => meta.PreBalances[i] != meta.PostBalances[i]).ToArray();
}
