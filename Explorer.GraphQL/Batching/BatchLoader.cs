using GraphQL.DataLoader;

namespace IoNet.Explorer.Batching;

/// <summary>
/// A request-scoped batch loader: every key asked for while GraphQL.NET resolves one level of the query is fetched
/// with ONE call of <c>fetch</c> when the engine first awaits a result (it awaits <see cref="IDataLoaderResult"/>s
/// only after the level's other fields). Results are remembered for the rest of the request.
/// </summary>
public sealed class BatchLoader<TValue>(Func<IReadOnlyCollection<string>, CancellationToken, Task<Dictionary<string, TValue>>> fetch)
    where TValue : class
{
    private readonly Func<IReadOnlyCollection<string>, CancellationToken, Task<Dictionary<string, TValue>>> _fetch = fetch;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TValue?> _loaded = new(StringComparer.Ordinal);
    private Batch? _open;

    public IDataLoaderResult<TValue?> Load(string key)
    {
        lock (_gate)
        {
            if (_loaded.TryGetValue(key, out var known))
                return new Known(known);
            _open ??= new Batch(this);
            _open.Keys.Add(key);
            return new Pending(_open, key);
        }
    }

    private sealed class Batch(BatchLoader<TValue> owner)
    {
        private Task<Dictionary<string, TValue>>? _task;

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public Task<Dictionary<string, TValue>> RunAsync(CancellationToken ct)
        {
            lock (owner._gate)
            {
                if (_task is null)
                {
                    // Keys asked for from now on go into the next batch.
                    if (owner._open == this)
                        owner._open = null;
                    _task = FetchAsync(ct);
                }
                return _task;
            }
        }

        private async Task<Dictionary<string, TValue>> FetchAsync(CancellationToken ct)
        {
            var found = await owner._fetch(Keys, ct).ConfigureAwait(false);
            lock (owner._gate)
            {
                foreach (var key in Keys)
                    owner._loaded[key] = found.GetValueOrDefault(key);
            }
            return found;
        }
    }

    private sealed class Pending(Batch batch, string key) : IDataLoaderResult<TValue?>
    {
        public async Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default) =>
            (await batch.RunAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(key);

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed class Known(TValue? value) : IDataLoaderResult<TValue?>
    {
        public Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default) => Task.FromResult(value);

        Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => Task.FromResult<object?>(value);
    }
}

/// <summary>A batched result transformed once it arrives (still deferred, so the batch stays whole).</summary>
public static class DataLoaderResults
{
    public static IDataLoaderResult<TOut> Then<TIn, TOut>(this IDataLoaderResult<TIn> result, Func<TIn, TOut> map) => new Mapped<TIn, TOut>(result, map);

    private sealed class Mapped<TIn, TOut>(IDataLoaderResult<TIn> inner, Func<TIn, TOut> map) : IDataLoaderResult<TOut>
    {
        public async Task<TOut> GetResultAsync(CancellationToken cancellationToken = default) =>
            map(await inner.GetResultAsync(cancellationToken).ConfigureAwait(false));

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken).ConfigureAwait(false);
    }
}
