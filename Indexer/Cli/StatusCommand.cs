using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using IoNet.Indexer.Configuration;
using IoNet.Indexer.Store;
using IoNet.Solana.Rpc;
using Marten;
using Spectre.Console;

namespace IoNet.Indexer.Cli;

/// <summary>One tracked source's checkpoint as `status` shows it; <paramref name="Waiting"/>: the transaction it waits for, if any.</summary>
public sealed record SourceStatus(string Name, string Kind, string Address, string Backfill, ulong? NewestSlot, long TransactionsSeen, DateTimeOffset? UpdatedAt,
    UnavailableTransaction? Waiting = null);

/// <summary>
/// What `status` shows: the settings in use, the chain's slot (or why it is unknown), every source, and every problem
/// that makes the Ledger's numbers untrustworthy (<see cref="Reports.LedgerProblems"/>).
/// </summary>
public sealed record IndexerStatus(string Rpc, string AddressFile, string Database, string Schema, ulong? ChainSlot, string? ChainError,
    IReadOnlyList<SourceStatus> Sources)
{
    public IReadOnlyList<string> Problems { get; init; } = [];
}

/// <summary>`status`: a table on a terminal, plain aligned lines with full addresses when redirected, or JSON (--json).</summary>
public static class StatusCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static async Task<IndexerStatus> ReadAsync(IDocumentStore store, IndexerSettings settings, IndexerSources tracked, string database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(tracked);
        var sources = new List<SourceStatus>();
        await using (var session = store.QuerySession())
        {
            foreach (var source in tracked.Sources)
            {
                var cp = await session.LoadAsync<SourceCheckpoint>(source.Name, ct).ConfigureAwait(false);
                sources.Add(new SourceStatus(source.Name, source.Kind, source.Address.ToString(),
                    cp is null ? "not started" : cp.Waiting is { } w ? $"waiting for {w.Signature}" : cp.BackfillDone ? "done" : "running",
                    cp?.NewestSlot, cp?.TransactionsSeen ?? 0, cp?.UpdatedAt, cp?.Waiting));
            }
        }
        IReadOnlyList<string> problems;
        await using (var session = store.QuerySession())
            problems = await Reports.LedgerProblems.FindAsync(session, tracked.Network, ct).ConfigureAwait(false);
        // The stored checkpoints are worth showing even when the node is down.
        ulong? slot = null;
        string? error = null;
        try
        {
            // One attempt: status answers at once when the node is down instead of after the retries' backoff.
            using var once = new SolanaRpcClient(settings.RpcUrl, new SolanaRpcClientOptions { MaxRetries = 0, RequestTimeout = settings.RequestTimeout });
            slot = await once.GetSlotAsync(settings.Commitment, ct).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            error = e.Message;
        }
        return new IndexerStatus(settings.RpcUrl, Path.GetFullPath(settings.AddressFile), database, settings.Schema, slot, error, sources) { Problems = problems };
    }

    public static void Write(IndexerStatus status, bool json, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(output);
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(status, Json));
            return;
        }
        var chain = status.ChainSlot is { } slot ? slot.ToString(CultureInfo.InvariantCulture) : $"unknown ({status.ChainError})";
        string[] header = ["source", "backfill", "newest slot", "transactions seen", "updated"];
        var rows = status.Sources.Select(s => new[]
        {
            s.Name, s.Backfill, s.NewestSlot?.ToString(CultureInfo.InvariantCulture) ?? "-", s.TransactionsSeen.ToString(CultureInfo.InvariantCulture),
            s.UpdatedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-",
        }).ToList();
        if (AnsiConsole.Profile.Capabilities.Interactive && ReferenceEquals(output, Console.Out))
        {
            var table = new Table().AddColumns(header);
            foreach (var row in rows)
                table.AddRow(row.Select(Markup.Escape).ToArray());
            AnsiConsole.MarkupLine(Markup.Escape($"rpc {status.Rpc}, chain slot {chain}; database {status.Database}, schema {status.Schema}"));
            AnsiConsole.Write(table);
            foreach (var problem in status.Problems)
                AnsiConsole.MarkupLine($"[red]problem:[/] {Markup.Escape(problem)}");
            return;
        }
        output.WriteLine($"rpc         {status.Rpc}");
        output.WriteLine($"chain slot  {chain}");
        output.WriteLine($"addresses   {status.AddressFile}");
        output.WriteLine($"database    {status.Database} (schema {status.Schema})");
        output.WriteLine();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
            output.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        // One line each, never wrapped: what makes the Ledger's numbers untrustworthy.
        foreach (var problem in status.Problems)
            output.WriteLine($"problem: {problem}");
    }
}
