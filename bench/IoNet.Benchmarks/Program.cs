using BenchmarkDotNet.Running;

// Runs the suites in this assembly: `./ionet bench` or `dotnet run -c Release --project bench/IoNet.Benchmarks -- --filter '*'`.
// `backfill [N]` is the end-to-end localnet backfill (one long timed run, not a BenchmarkDotNet suite).
if (args.FirstOrDefault() == "backfill")
    return await IoNet.Benchmarks.EndToEnd.LocalnetBackfill.RunAsync(args[1..]);
// `http` is the loopback HTTP load generator (Http/HttpLoad.cs); `http-empty-endpoint URL` its baseline server process;
// `http explorer` the explorer's benchmark (Explorer/ExplorerLoad.cs), `http-explorer-sql ...` its hand-written SQL baseline.
if (args.FirstOrDefault() == "http")
    return await IoNet.Benchmarks.Http.HttpLoad.RunAsync(args[1..]);
if (args.FirstOrDefault() == "http-empty-endpoint")
    return await IoNet.Benchmarks.Http.EmptyEndpointTarget.ServeAsync(args[1]);
if (args.FirstOrDefault() == "http-explorer-sql")
    return await IoNet.Benchmarks.Explorer.SqlExplorerEndpoint.ServeAsync(args[1..]);
// `pow [n …] [--k K]`: the proof of work's honest CPU solve against its verification (ProofOfWork/ProofOfWorkCost.cs).
if (args.FirstOrDefault() == "pow")
    return IoNet.Benchmarks.ProofOfWork.ProofOfWorkCost.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(IoNet.Benchmarks.Indexing.IndexingSamples).Assembly).Run(args);
return 0;
