using BenchmarkDotNet.Running;

// Runs the suites in this assembly: `./ionet bench` or `dotnet run -c Release --project bench/IoNet.Benchmarks -- --filter '*'`.
BenchmarkSwitcher.FromAssembly(typeof(IoNet.Benchmarks.Indexing.IndexingSamples).Assembly).Run(args);
