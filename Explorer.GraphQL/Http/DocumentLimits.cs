using GraphQLParser.AST;

namespace IoNet.Explorer.Http;

/// <summary>
/// Aliases, selections and fragment definitions per document, counted (without recursion) before GraphQL.NET's rules
/// walk the document: a document of hundreds of aliases or fragments is refused before it costs anything more.
/// </summary>
public static class DocumentLimits
{
    /// <summary>The first limit the document breaks, or null.</summary>
    public static (string Code, string Message)? Check(GraphQLDocument document, GraphQLLimits limits)
    {
        int aliases = 0, selections = 0, fragments = 0;
        var stack = new Stack<ASTNode>();
        stack.Push(document);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            switch (node)
            {
                case GraphQLDocument d:
                    foreach (var definition in d.Definitions)
                        stack.Push(definition);
                    break;
                case GraphQLFragmentDefinition f:
                    fragments++;
                    stack.Push(f.SelectionSet);
                    break;
                case GraphQLOperationDefinition o:
                    stack.Push(o.SelectionSet);
                    break;
                case GraphQLSelectionSet s:
                    foreach (var selection in s.Selections)
                    {
                        selections++;
                        stack.Push(selection);
                    }
                    break;
                case GraphQLField field:
                    if (field.Alias is not null)
                        aliases++;
                    if (field.SelectionSet is not null)
                        stack.Push(field.SelectionSet);
                    break;
                case GraphQLInlineFragment inline:
                    stack.Push(inline.SelectionSet);
                    break;
            }
        }
        if (aliases > limits.MaxAliases)
            return ("MAX_ALIASES_EXCEEDED", $"The document has {aliases} aliases; at most {limits.MaxAliases} are allowed.");
        if (fragments > limits.MaxFragments)
            return ("MAX_FRAGMENTS_EXCEEDED", $"The document defines {fragments} fragments; at most {limits.MaxFragments} are allowed.");
        if (selections > limits.MaxSelections)
            return ("MAX_SELECTIONS_EXCEEDED", $"The document has {selections} selections; at most {limits.MaxSelections} are allowed.");
        return null;
    }
}
