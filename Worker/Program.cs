using IoNet.Worker.Cli;

// The supplier's agent: init, register, run, status (Worker/README.md).
return await WorkerCommandLine.RunAsync(args, Console.Out, Console.Error);
