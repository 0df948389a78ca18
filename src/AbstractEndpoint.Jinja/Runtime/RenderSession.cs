using System.Runtime.CompilerServices;
using System.Text;

namespace AbstractEndpoint.Jinja.Runtime;

/// <summary>
/// Everything one render owns: the output being written, the context, and the counters that enforce
/// <see cref="JinjaOptions"/> limits. A template is shared by many threads; a session never is.
/// </summary>
internal sealed class RenderSession
{
    private readonly Dictionary<string, object?> _context;
    private readonly Stack<StringBuilder> _captures = new();
    private long _iterations;
    private long _allocated;
    private int _callDepth;

    public RenderSession(JinjaOptions options, Dictionary<string, object?> context)
    {
        Options = options;
        _context = context;
        Output = new StringBuilder(4096);
    }

    public JinjaOptions Options { get; }

    /// <summary>Where rendered text goes right now (the top-level output, or a macro/block capture).</summary>
    public StringBuilder Output { get; private set; }

    /// <summary>True for the parse-time session that folds constants the way Jinja2's optimizer does.</summary>
    public bool FoldingConstants { get; set; }

    /// <summary>The template line of the statement being executed, for error reports.</summary>
    public int CurrentLine { get; set; }

    /// <summary>Resolves a name not bound by any template scope: the render context first, then the globals.</summary>
    public bool TryResolveGlobal(string name, out object? value)
    {
        if (_context.TryGetValue(name, out value))
        {
            return true;
        }

        return Globals.TryGet(name, out value);
    }

    public void Write(string text)
    {
        if (Output.Length + text.Length > Options.MaxOutputLength)
        {
            throw new JinjaLimitException($"output exceeds the limit of {Options.MaxOutputLength} characters");
        }

        Output.Append(text);
    }

    public void BeginCapture()
    {
        _captures.Push(Output);
        Output = new StringBuilder();
    }

    public string EndCapture()
    {
        var text = Output.ToString();
        Output = _captures.Pop();
        return text;
    }

    /// <summary>Counts one loop iteration or one item walked by a filter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Tick()
    {
        if (++_iterations > Options.MaxLoopIterations)
        {
            throw new JinjaLimitException($"template exceeded {Options.MaxLoopIterations} loop iterations");
        }
    }

    /// <summary>Charges a string about to be built; refuses it before allocation when it is too long.</summary>
    public void ChargeString(long length)
    {
        if (length > Options.MaxOutputLength)
        {
            throw new JinjaLimitException($"a string of {length} characters exceeds the limit of {Options.MaxOutputLength}");
        }

        Charge(length);
    }

    /// <summary>Charges a list about to be built; refuses it before allocation when it is too long.</summary>
    public void ChargeItems(long count)
    {
        if (count > Options.MaxOutputLength)
        {
            throw new JinjaLimitException($"a list of {count} items exceeds the limit of {Options.MaxOutputLength}");
        }

        Charge(count);
    }

    private void Charge(long amount)
    {
        _allocated += amount;
        if (_allocated > Options.MaxAllocatedLength)
        {
            throw new JinjaLimitException($"template allocated more than {Options.MaxAllocatedLength} characters or items");
        }
    }

    /// <summary>Enters a macro (or caller, or recursive loop) call; bounded by depth and by the real stack.</summary>
    public void EnterCall()
    {
        if (++_callDepth > Options.MaxRecursionDepth)
        {
            _callDepth--;
            throw new JinjaLimitException($"macro calls nested deeper than {Options.MaxRecursionDepth}");
        }

        EnsureStack();
    }

    public void ExitCall() => _callDepth--;

    public static void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new JinjaLimitException("template nesting exhausted the stack");
        }
    }
}
