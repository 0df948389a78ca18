using System.Text;

namespace AbstractEndpoint.StructuredOutput.Gbnf;

/// <summary>
/// Collects GBNF rules with unique, readable names. Identical bodies share one rule (schemas repeat themselves a lot),
/// and names are derived from where a rule came from, so the output is deterministic for a given input.
/// </summary>
internal sealed class GbnfBuilder
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, string?> _bodies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nameByBody = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _primitives = new(StringComparer.Ordinal);

    /// <summary>Adds a rule (or finds an identical one) and returns the name to reference it by.</summary>
    public string Add(string desiredName, string body)
    {
        if (_nameByBody.TryGetValue(body, out var existing))
        {
            return existing;
        }

        var name = Reserve(desiredName);
        Define(name, body);
        return name;
    }

    /// <summary>Reserves a unique name whose body is supplied later; this is how recursive rules are built.</summary>
    public string Reserve(string desiredName)
    {
        var baseName = Sanitize(desiredName);
        var name = baseName;
        for (var i = 1; _bodies.ContainsKey(name); i++)
        {
            name = baseName + "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _bodies[name] = null;
        _order.Add(name);
        return name;
    }

    /// <summary>Sets the body of a reserved rule.</summary>
    public void Define(string name, string body)
    {
        if (!_bodies.TryGetValue(name, out var current) || current is not null)
        {
            throw new InvalidOperationException("Rule '" + name + "' is not reserved or already defined.");
        }

        // An empty body is legal GBNF in principle, but an explicit empty literal is unambiguous for every reader.
        body = body.Length == 0 ? "\"\"" : body;
        _bodies[name] = body;
        _nameByBody.TryAdd(body, name);
    }

    /// <summary>A shared helper rule, created on first use by <paramref name="create"/> (which may add its own dependencies).</summary>
    public string Shared(string key, Func<GbnfBuilder, string> create)
    {
        if (_primitives.TryGetValue(key, out var name))
        {
            return name;
        }

        name = Reserve(key);
        _primitives[key] = name;
        Define(name, create(this));
        return name;
    }

    /// <summary>The grammar text: the root rule first, the rest in creation order.</summary>
    public string Build(string root = "root")
    {
        if (!_bodies.TryGetValue(root, out var rootBody) || rootBody is null)
        {
            throw new InvalidOperationException("The grammar has no '" + root + "' rule.");
        }

        var sb = new StringBuilder();
        sb.Append(root).Append(" ::= ").Append(rootBody).Append('\n');
        foreach (var name in _order)
        {
            if (name == root)
            {
                continue;
            }

            var body = _bodies[name] ?? throw new InvalidOperationException("Rule '" + name + "' was reserved but never defined.");
            sb.Append(name).Append(" ::= ").Append(body).Append('\n');
        }

        return sb.ToString();
    }

    internal static string Sanitize(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            var ok = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9';
            if (ok)
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        while (sb.Length > 0 && sb[^1] == '-')
        {
            sb.Length--;
        }

        return sb.Length == 0 ? "r" : sb.ToString();
    }
}
