using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using GraphQL.Types.Relay;
using GraphQL.Types.Relay.DataObjects;
using IoNet.Explorer.Reads;
using Microsoft.Extensions.DependencyInjection;

namespace IoNet.Explorer.Schema;

/// <summary>Relay connection arguments and the conversion of a read layer's page into GraphQL.NET's connection objects.</summary>
#pragma warning disable GQL012 // the analyzer cannot see that every caller is an object type
public static class Connections
{
    /// <summary>A Relay connection field of <typeparamref name="TNodeType"/> with first/after/last/before.</summary>
    public static FieldBuilder<TSource, object> ConnectionField<TSource, TNodeType>(this ComplexGraphType<TSource> type, string name, string description)
        where TNodeType : IGraphType =>
        type.Field<NonNullGraphType<ConnectionType<TNodeType, EdgeType<TNodeType>>>>(name)
            .Description(description)
            .Argument<IntGraphType>("first", "Items from the start (or after `after`); at most the page limit.")
            .Argument<StringGraphType>("after", "A cursor: items after it.")
            .Argument<IntGraphType>("last", "Items from the end (or before `before`).")
            .Argument<StringGraphType>("before", "A cursor: items before it.");

#pragma warning restore GQL012

    public static PageRequest Page(this IResolveFieldContext context, string cursorKind)
    {
        var limits = context.RequestServices!.GetRequiredService<ExplorerSettings>().Limits;
        return PageRequest.From(context.GetArgument<int?>("first"), context.GetArgument<string?>("after"),
            context.GetArgument<int?>("last"), context.GetArgument<string?>("before"), cursorKind, limits.DefaultPageSize, limits.MaxPageSize);
    }

    public static Connection<T> ToConnection<T>(this Page<T> page) => new()
    {
        Edges = page.Items.Select(i => new Edge<T> { Node = i.Node, Cursor = i.Cursor }).ToList(),
        PageInfo = new PageInfo
        {
            HasNextPage = page.HasNextPage,
            HasPreviousPage = page.HasPreviousPage,
            StartCursor = page.Items.Count > 0 ? page.Items[0].Cursor : null,
            EndCursor = page.Items.Count > 0 ? page.Items[^1].Cursor : null,
        },
    };

    public static T Reads<T>(this IResolveFieldContext context) where T : notnull => context.RequestServices!.GetRequiredService<T>();
}
