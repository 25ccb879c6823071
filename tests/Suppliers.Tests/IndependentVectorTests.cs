using System.Text.Json;
using IoNet.Solana.Keys;
using IoNet.Suppliers.Merkle;
using IoNet.Suppliers.ProofOfWork;
using IoNet.Suppliers.Rewards;

namespace IoNet.Suppliers.Tests;

/// <summary>
/// Vectors/vectors.json comes from Vectors/make_vectors.py, a Python implementation written from docs/proof-of-work.md
/// and docs/rewards.md (its own ChaCha20, sampling, RFC 6962 tree and leaf encodings): the C# code must agree.
/// </summary>
public sealed class IndependentVectorTests
{
    private static readonly JsonElement Vectors =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "vectors.json"))).RootElement;

    private static uint[] UInts(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetUInt32())];

    [Fact]
    public void a_row_of_a_is_the_pythons_chacha20_derivation()
    {
        var v = Vectors.GetProperty("rowOfA");
        var row = new uint[v.GetProperty("n").GetInt32()];

        ProofOfWorkMatrices.DeriveRow(Bytes32.ParseHex(v.GetProperty("seed").GetString()!), v.GetProperty("matrix").GetUInt32(), v.GetProperty("row").GetUInt32(), row);

        row.ShouldBe(UInts(v.GetProperty("values")));
    }

    [Fact]
    public void the_product_and_its_merkle_root_are_the_pythons()
    {
        var v = Vectors.GetProperty("product");
        var n = v.GetProperty("n").GetInt32();

        var product = new CpuMatrixSolver().Multiply(Bytes32.ParseHex(v.GetProperty("seed").GetString()!), n, TestContext.Current.CancellationToken);

        product.Values.ShouldBe(UInts(v.GetProperty("c")));
        ProofOfWorkAnswer.Prepare(product).Root.ToHex().ShouldBe(v.GetProperty("root").GetString());
    }

    [Fact]
    public void the_sampled_rows_are_the_pythons()
    {
        var v = Vectors.GetProperty("sample");

        var rows = RowSampling.Indices(v.GetProperty("challenge").GetGuid(), Bytes32.ParseHex(v.GetProperty("root").GetString()!),
            Bytes32.ParseHex(v.GetProperty("salt").GetString()!), v.GetProperty("n").GetInt32(), v.GetProperty("k").GetInt32());

        rows.ShouldBe([.. v.GetProperty("rows").EnumerateArray().Select(r => r.GetInt32())]);
    }

    [Fact]
    public void payout_leaves_and_root_are_the_pythons()
    {
        var v = Vectors.GetProperty("payouts");
        var block = v.GetProperty("block").GetUInt64();
        var payouts = v.GetProperty("items").EnumerateArray().Select(p => new RewardPayout(
            p.GetProperty("device").GetGuid(), new PublicKey(Convert.FromHexString(p.GetProperty("worker").GetString()!)), RewardPool.Gpu, 1,
            p.GetProperty("amount").GetUInt64())).ToList();

        var commitment = new PayoutCommitment(new RewardBlockSplit((long)block, 0, payouts, [], 0));

        payouts.Select(p => PayoutCommitment.LeafHash(block, p.Device, p.Worker, p.Amount).ToHex())
            .ShouldBe(v.GetProperty("leaves").EnumerateArray().Select(l => l.GetString()));
        commitment.Root.ToHex().ShouldBe(v.GetProperty("root").GetString());
        new MerkleTree([.. payouts.Select(p => PayoutCommitment.LeafHash(block, p.Device, p.Worker, p.Amount))]).Root.ShouldBe(commitment.Root);
    }
}
