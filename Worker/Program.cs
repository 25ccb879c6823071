// The Worker is specified in the open issues and not built yet; this entry point says so instead of pretending.
Console.Error.WriteLine("ionet: the Worker is not implemented yet (see the open issues).");
return 2;
