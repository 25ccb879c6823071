using System.Runtime.CompilerServices;
using Marten;

namespace IoNet.Indexer.Store;

/// <summary>
/// Creates the Ledger's tables and the checkpoints' table once per store, whichever writer asks first. The gate is the
/// store's, not a writer's: Marten counts a type's storage as checked as soon as one caller starts creating it, so two
/// writers with a gate each raced — the second upserted its checkpoint into a table the first had not finished creating
/// (42P01 "relation … mt_doc_sourcecheckpoint does not exist", seen when two bulk writers raced on a fresh schema).
/// </summary>
internal static class LedgerSchema
{
    private static readonly ConditionalWeakTable<IDocumentStore, State> States = new();

    private sealed class State
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public volatile bool Ready;
    }

    public static async Task EnsureAsync(IDocumentStore store, CancellationToken ct)
    {
        var state = States.GetValue(store, _ => new State());
        if (state.Ready)
            return;
        await state.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (state.Ready)
                return;
            // The writers' existence checks read mt_streams directly, so the event tables must exist first; the
            // checkpoint's table is created outside any append transaction, so an enlisted session never needs DDL.
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync().ConfigureAwait(false);
            await store.Storage.Database.EnsureStorageExistsAsync(typeof(SourceCheckpoint), ct).ConfigureAwait(false);
            state.Ready = true;
        }
        finally
        {
            state.Gate.Release();
        }
    }
}
