// Records the sample for bench/IoNet.Benchmarks/Indexing: io.net flows executed on a real localnet, and the node's own
// getTransaction JSON of each (the bare "result", as an indexer receives it). Run from the repository root:
//   (cd localnet && npm install --no-audit --no-fund) && dotnet run bench/IoNet.Benchmarks/Samples/record-indexing-samples.cs
// Writes indexing-network.json (the addresses the mapper needs) and indexing-transactions.jsonl.gz (one response a line).
#:project ../../../tests/TestSupport/TestSupport.csproj
#:property PublishAot=false
#:property TreatWarningsAsErrors=false
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IoNet.Programs.Flows;
using IoNet.Solana.Keys;
using IoNet.TestSupport;

// TestSupport finds the repository above the app's base directory; a file-based app runs from elsewhere.
AppContext.SetData("APP_CONTEXT_BASE_DIRECTORY", Directory.GetCurrentDirectory() + "/");
var outDir = Path.GetFullPath(args.Length > 0 ? args[0] : "bench/IoNet.Benchmarks/Samples");
const int Rounds = 40;

await using var chain = new LocalnetChain();
await chain.InitializeAsync();
var net = chain.Network;
var treasury = chain.Authority("treasury");
var escrow = chain.Authority("escrow");
var stake = chain.Authority("stake");
var iosd = chain.Authority("iosd");
var random = new Random(20261125);
var wallets = new List<Keypair>();
for (var i = 0; i < 12; i++)
    wallets.Add(await chain.NewWalletAsync());
var devices = Enumerable.Range(0, 16).Select(_ => new Guid(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 16))).ToList();

using var http = new HttpClient { BaseAddress = chain.Process.RpcUrl };
var signatures = new List<string>();
async Task Run(Keypair payer, IReadOnlyList<IoNet.Solana.Transactions.TransactionInstruction> ixs)
{
    var response = await chain.ExecuteAsync(payer, ixs, [payer]);
    signatures.Add(response.Transaction!.Signatures![0]);
}

for (var round = 0; round < Rounds; round++)
{
    var worker = wallets[round % wallets.Count];
    var supplier = wallets[(round + 5) % wallets.Count];
    var buyer = wallets[(round + 3) % wallets.Count];
    var device = devices[round % devices.Count];
    ulong Amount(ulong min, ulong max) => min + (ulong)random.NextInt64((long)(max - min));

    await Run(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, worker.PublicKey, 1000 + (ulong)round / 4, device, Amount(5_00000000, 50_00000000)));
    await Run(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, buyer.PublicKey, 1000 + (ulong)round / 4, devices[(round + 7) % devices.Count], Amount(5_00000000, 50_00000000)));
    var burned = Amount(1_00000000, 4_00000000);
    var rate = Amount(700_000, 900_000);
    var burn = await chain.ExecuteAsync(buyer, IoNetFlows.BuyCredits(buyer.PublicKey, net.Io, burned, rate), [buyer]);
    signatures.Add(burn.Transaction!.Signatures![0]);
    await Run(iosd, IoNetFlows.MintCredits(iosd.PublicKey, net.Iosd, buyer.PublicKey, Signature.Parse(burn.Transaction.Signatures[0]), burned, rate));
    var rental = new Guid(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 16));
    var funded = Amount(200_000, 1_000_000);
    await Run(buyer, IoNetFlows.FundRental(buyer.PublicKey, net.Iosd, escrow.PublicKey, rental, funded));
    var paid = funded / 2;
    await Run(escrow, IoNetFlows.SettleRental(escrow.PublicKey, net.Iosd, rental,
        [(supplier.PublicKey, paid / 2), (worker.PublicKey, paid - paid / 2)], buyer.PublicKey, funded - paid - 1_000));
    await Run(worker, IoNetFlows.Stake(worker.PublicKey, net.Io, stake.PublicKey, device, Amount(1_00000000, 2_00000000)));
    if (round % 3 == 2)
        await Run(stake, IoNetFlows.Unstake(stake.PublicKey, net.Io, worker.PublicKey, device, 10_000_000));
    if (round % 5 == 4)
        await Run(stake, IoNetFlows.Slash(stake.PublicKey, net.Io, device, worker.PublicKey, 1_000_000));
    if (round % 10 == 9)
        await Run(treasury, IoNetFlows.FeeBurn(treasury.PublicKey, net.Io, $"2026-{round / 10 + 1:D2}", Amount(1_000, 100_000)));
}

// The node's own JSON of each, as the crawler fetches it (encoding json, v0 allowed, the result only).
await using (var file = File.Create(Path.Combine(outDir, "indexing-transactions.jsonl.gz")))
await using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
await using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)) { NewLine = "\n" })
{
    var id = 0;
    foreach (var signature in signatures)
    {
        var request = $$"""{"jsonrpc":"2.0","id":{{++id}},"method":"getTransaction","params":["{{signature}}",{"encoding":"json","maxSupportedTransactionVersion":0,"commitment":"confirmed"}]}""";
        using var reply = await http.PostAsync("/", new StringContent(request, Encoding.UTF8, "application/json"));
        var envelope = JsonNode.Parse(await reply.Content.ReadAsStringAsync())!;
        var result = envelope["result"] ?? throw new InvalidOperationException($"no result for {signature}: {envelope.ToJsonString()}");
        await writer.WriteLineAsync(result.ToJsonString());
    }
}

static JsonObject Mint(MintInfo m) => new() { ["address"] = m.Address.ToString(), ["decimals"] = m.Decimals, ["tokenProgram"] = m.TokenProgram.ToString() };
var network = new JsonObject
{
    ["io"] = Mint(net.Io), ["iosd"] = Mint(net.Iosd), ["usdc"] = Mint(net.Usdc),
    ["iosdMintAuthority"] = net.IosdMintAuthority.ToString(), ["escrowAuthority"] = net.EscrowAuthority.ToString(),
    ["treasuryAuthority"] = net.TreasuryAuthority.ToString(), ["stakeAuthority"] = net.StakeAuthority.ToString(),
};
await File.WriteAllTextAsync(Path.Combine(outDir, "indexing-network.json"), network.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
Console.WriteLine($"recorded {signatures.Count} transactions into {outDir}");
