using BenchmarkDotNet.Running;

// Runs the suites in this assembly: `./ionet bench` or `dotnet run -c Release --project bench/IoNet.Benchmarks -- --filter '*'`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
