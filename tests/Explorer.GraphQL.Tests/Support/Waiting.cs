using System.Diagnostics;

namespace IoNet.ExplorerGraphQL.Tests.Support;

public static class Waiting
{
    /// <summary>
    /// Reads until <paramref name="done"/> holds: waits for something another process or service (the async daemon,
    /// the explorer's feed) causes. The guard only keeps a broken run from hanging; it is no speed check.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var guard = Stopwatch.StartNew();
        T last;
        while (!done(last = await read()))
        {
            if (guard.Elapsed > TimeSpan.FromMinutes(3))
                throw new TimeoutException($"{what} did not happen (a guard against hanging); last seen: {last}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        return last;
    }
}
