using BenchmarkDotNet.Running;

// Runs the suites in this assembly: `./ionet bench` or `dotnet run -c Release --project bench/IoNet.Benchmarks -- --filter '*'`.
// `backfill [N]` is the end-to-end localnet backfill (one long timed run, not a BenchmarkDotNet suite).
if (args.FirstOrDefault() == "backfill")
    return await IoNet.Benchmarks.EndToEnd.LocalnetBackfill.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(IoNet.Benchmarks.Indexing.IndexingSamples).Assembly).Run(args);
return 0;
