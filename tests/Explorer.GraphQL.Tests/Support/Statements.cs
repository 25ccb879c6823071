using System.Diagnostics;

namespace IoNet.ExplorerGraphQL.Tests.Support;

/// <summary>Counts the SQL statements one GraphQL request runs: Npgsql's command activities under the request's trace id.</summary>
public static class Statements
{
    public static async Task<int> OfAsync(GraphQLClient client, string query, object variables, CancellationToken ct)
    {
        var trace = ActivityTraceId.CreateRandom();
        var count = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                // Commands carry their SQL; opening a physical connection is an activity too, but no statement.
                if (a.Source.Name == "Npgsql" && a.TraceId == trace && (a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement")) is not null)
                    Interlocked.Increment(ref count);
            },
        };
        ActivitySource.AddActivityListener(listener);
        await client.DataAsync(query, variables, ct, r => r.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01"));
        return count;
    }
}
