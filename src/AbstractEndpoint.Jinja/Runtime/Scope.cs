using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Runtime;

/// <summary>
/// One level of Jinja2 variable scope: the template root, a loop iteration, a macro call, a with/set block. Lookups
/// walk outward; assignments always land in the innermost scope, which is why a <c>set</c> inside a loop does not
/// leave it (templates use <c>namespace()</c> for that). Scopes hold few names, so they are small arrays.
/// </summary>
internal sealed class Scope(RenderSession session, Scope? parent)
{
    /// <summary>Marks a name the frame will assign later; reading it first gives Undefined (see ScopeAnalyzer).</summary>
    private static readonly object Missing = new();

    private string[]? _names;
    private object?[]? _values;
    private int _count;

    public RenderSession Session { get; } = session;

    public Scope? Parent { get; } = parent;

    public object? Lookup(string name)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            var names = scope._names;
            for (var i = 0; i < scope._count; i++)
            {
                if (ReferenceEquals(names![i], name) || names[i] == name)
                {
                    var local = scope._values![i];
                    return ReferenceEquals(local, Missing) ? Undefined.ForName(name) : local;
                }
            }
        }

        return Session.TryResolveGlobal(name, out var value) ? value : Undefined.ForName(name);
    }

    /// <summary>A new scope for a frame, with the names Jinja2 would start as missing already bound.</summary>
    public static Scope ForFrame(RenderSession session, Scope? parent, string[] missingNames)
    {
        var scope = new Scope(session, parent);
        foreach (var name in missingNames)
        {
            scope.Set(name, Missing);
        }

        return scope;
    }

    public void Set(string name, object? value)
    {
        for (var i = 0; i < _count; i++)
        {
            if (ReferenceEquals(_names![i], name) || _names[i] == name)
            {
                _values![i] = value;
                return;
            }
        }

        if (_names is null || _count == _names.Length)
        {
            var capacity = _names is null ? 4 : _names.Length * 2;
            Array.Resize(ref _names, capacity);
            Array.Resize(ref _values, capacity);
        }

        _names[_count] = name;
        _values![_count] = value;
        _count++;
    }
}
