using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Builtins;

/// <summary>
/// <c>map</c>, <c>select</c>, <c>reject</c>, <c>selectattr</c>, <c>rejectattr</c>. Like Jinja2's they return lazy,
/// single-pass generators (so <c>|tojson</c> on them fails and <c>|list</c> is needed), evaluated when consumed.
/// </summary>
internal static class SelectionFilters
{
    public static object? Map(RenderSession session, object? value, CallArguments args) =>
        Generator(MapItems(session, value, args));

    private static IEnumerable<object?> MapItems(RenderSession session, object? value, CallArguments args)
    {
        if (!PyOps.Truthy(value))
        {
            yield break;
        }

        Func<object?, object?> transform;
        if (args.Count == 0 && args.TryGetKeyword("attribute", out var attribute))
        {
            args.TryGetKeyword("default", out var fallback);
            foreach (var name in args.KeywordNames)
            {
                if (name is not ("attribute" or "default"))
                {
                    throw PyErrors.FilterArgument($"Unexpected keyword argument '{name}'");
                }
            }

            var getter = AttributeGetter.Create(attribute, defaultValue: fallback);
            transform = getter.Get;
        }
        else
        {
            if (args.Count == 0)
            {
                throw PyErrors.FilterArgument("map requires a filter argument");
            }

            var filterName = PyRepr.Str(args.Positional[0]);
            var rest = args.Skip(1);
            var filter = Filters.Find(filterName) ?? throw PyErrors.Runtime($"No filter named '{filterName}'.");
            transform = item => filter(session, item, rest);
        }

        foreach (var item in PyIteration.Iterate(value, session))
        {
            yield return transform(item);
        }
    }

    public static object? Select(RenderSession session, object? value, CallArguments args) =>
        Generator(SelectItems(session, value, args, byAttribute: false, keep: true));

    public static object? Reject(RenderSession session, object? value, CallArguments args) =>
        Generator(SelectItems(session, value, args, byAttribute: false, keep: false));

    public static object? SelectAttr(RenderSession session, object? value, CallArguments args) =>
        Generator(SelectItems(session, value, args, byAttribute: true, keep: true));

    public static object? RejectAttr(RenderSession session, object? value, CallArguments args) =>
        Generator(SelectItems(session, value, args, byAttribute: true, keep: false));

    private static IEnumerable<object?> SelectItems(RenderSession session, object? value, CallArguments args, bool byAttribute, bool keep)
    {
        if (!PyOps.Truthy(value))
        {
            yield break;
        }

        var offset = 0;
        AttributeGetter? getter = null;
        if (byAttribute)
        {
            if (args.Count == 0)
            {
                throw PyErrors.FilterArgument("Missing parameter for attribute name");
            }

            getter = AttributeGetter.Create(args.Positional[0]);
            offset = 1;
        }

        Func<object?, bool> predicate;
        if (args.Count > offset)
        {
            var testName = PyRepr.Str(args.Positional[offset]);
            var rest = args.Skip(offset + 1);
            var test = Tests.Find(testName) ?? throw PyErrors.Runtime($"No test named '{testName}'.");
            predicate = item => test(session, item, rest);
        }
        else
        {
            predicate = PyOps.Truthy;
        }

        foreach (var item in PyIteration.Iterate(value, session))
        {
            if (predicate(getter is null ? item : getter.Get(item)) == keep)
            {
                yield return item;
            }
        }
    }

    /// <summary>Wraps a lazy C# iterator as a Python generator value.</summary>
    public static Values.PyIterator Generator(IEnumerable<object?> items) => new(items.GetEnumerator(), "generator");
}
