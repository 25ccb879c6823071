using IoNet.Indexer.Store;

namespace IoNet.Indexer.Tests.Store;

/// <summary>
/// The pipeline's own contract, with a sink that records what it was given (the real writers are covered by their
/// tests and by the crawler and end-to-end tests that run through the pipeline).
/// </summary>
public sealed class AppendPipelineTests
{
    private sealed class RecordingSink : IChainEventSink
    {
        public readonly List<(string Source, SourceCheckpoint Checkpoint, int Count)> Calls = [];
        public TaskCompletionSource? Gate { get; set; }
        public int Running;
        public int MostAtOnce;
        public Exception? FailWith { get; set; }

        public async Task<int> AppendAsync(string source, string holder, IReadOnlyList<TransactionEvents> batch, SourceCheckpoint checkpoint, CancellationToken ct)
        {
            MostAtOnce = Math.Max(MostAtOnce, Interlocked.Increment(ref Running));
            try
            {
                if (Gate is { } gate)
                    await gate.Task.WaitAsync(ct);
                await Task.Yield();
                if (FailWith is { } e)
                    throw e;
                lock (Calls)
                    Calls.Add((source, checkpoint, batch.Count));
                return batch.Count;
            }
            finally
            {
                Interlocked.Decrement(ref Running);
            }
        }

        public Task EnsureSchemaAsync(CancellationToken ct) => Task.CompletedTask;
    }

    private static TransactionEvents[] Txs(int n) => [.. Enumerable.Range(0, n).Select(i => new TransactionEvents($"sig{i}", []))];

    [Fact]
    public async Task appends_run_one_at_a_time_in_order_each_with_the_checkpoint_as_it_was()
    {
        var sink = new RecordingSink();
        var pipeline = new AppendPipeline(sink, "mint:io", "indexer-1");
        var checkpoint = new SourceCheckpoint { Id = "mint:io" };
        for (var k = 1; k <= 5; k++)
        {
            checkpoint.OldestSignature = $"chunk{k}";
            checkpoint.TransactionsSeen += k;
            await pipeline.StartAsync(Txs(k), checkpoint, TestContext.Current.CancellationToken);
            checkpoint.OldestSignature = "moved on"; // the caller goes on before the append is done
        }
        (await pipeline.DrainAsync()).ShouldBe(15);

        sink.MostAtOnce.ShouldBe(1);
        sink.Calls.Select(c => c.Checkpoint.OldestSignature).ShouldBe(["chunk1", "chunk2", "chunk3", "chunk4", "chunk5"]);
        sink.Calls.Select(c => c.Checkpoint.TransactionsSeen).ShouldBe([1L, 3L, 6L, 10L, 15L]);
        sink.Calls.Select(c => c.Count).ShouldBe([1, 2, 3, 4, 5]);
        sink.Calls.ShouldAllBe(c => !ReferenceEquals(c.Checkpoint, checkpoint));
    }

    [Fact]
    public async Task start_returns_while_the_append_runs_and_the_next_start_waits_for_it()
    {
        var sink = new RecordingSink { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var pipeline = new AppendPipeline(sink, "mint:io", "indexer-1");
        var ct = TestContext.Current.CancellationToken;

        await pipeline.StartAsync(Txs(2), new SourceCheckpoint(), ct); // returns although the sink is held
        var second = pipeline.StartAsync(Txs(3), new SourceCheckpoint(), ct);
        await Task.Delay(50, ct);
        second.IsCompleted.ShouldBeFalse("the second append waits for the first");
        sink.Calls.ShouldBeEmpty();

        sink.Gate.SetResult();
        await second;
        (await pipeline.DrainAsync()).ShouldBe(5);
        (await pipeline.DrainAsync()).ShouldBe(5, "draining twice adds nothing");
    }

    [Fact]
    public async Task a_failed_append_surfaces_from_the_next_start_or_the_drain()
    {
        var ct = TestContext.Current.CancellationToken;
        var sink = new RecordingSink { FailWith = new InvalidOperationException("lease lost") };
        var pipeline = new AppendPipeline(sink, "mint:io", "indexer-1");
        await pipeline.StartAsync(Txs(1), new SourceCheckpoint(), ct);
        (await Should.ThrowAsync<InvalidOperationException>(() => pipeline.StartAsync(Txs(1), new SourceCheckpoint(), ct))).Message.ShouldBe("lease lost");

        var other = new AppendPipeline(sink, "mint:io", "indexer-1");
        await other.StartAsync(Txs(1), new SourceCheckpoint(), ct);
        await Should.ThrowAsync<InvalidOperationException>(() => other.DrainAsync());
        sink.Calls.ShouldBeEmpty();
    }
}
