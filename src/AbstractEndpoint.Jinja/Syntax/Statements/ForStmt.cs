using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Syntax.Targets;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Syntax.Statements;

/// <summary>
/// <c>{% for target in iterable if test recursive %}body{% else %}fallback{% endfor %}</c>. Each iteration gets a
/// fresh scope. As in Jinja2, the else part runs unless some iteration ran to its end: with no items, but also when
/// every iteration ended in continue or the loop broke before any iteration finished (how Jinja2 compiles it).
/// </summary>
internal sealed class ForStmt(int line, AssignTarget target, Expr iterable, Expr? test, bool recursive, Stmt[] body, Stmt[] elseBody)
    : Stmt(line)
{
    public AssignTarget Target { get; } = target;

    public Expr Iterable { get; } = iterable;

    public Expr? Test { get; } = test;

    public bool Recursive { get; } = recursive;

    public Stmt[] Body { get; } = body;

    public Stmt[] ElseBody { get; } = elseBody;

    /// <summary>Names each iteration starts as missing (set once by <see cref="Parsing.ScopeAnalyzer"/> before first use).</summary>
    public string[] BodyMissingNames { get; set; } = [];

    /// <summary>Names the else part starts as missing.</summary>
    public string[] ElseMissingNames { get; set; } = [];

    public override Flow Execute(Scope scope) => Run(scope, Iterable.Evaluate(scope), 0);

    private Flow Run(Scope scope, object? iterable, int depth0)
    {
        var session = scope.Session;
        Func<object?, int, string>? recurse = Recursive ? (children, depth) => RunNested(scope, children, depth) : null;
        IReadOnlyList<object?>? sequence = Test is not null ? null : iterable switch
        {
            PyList list => list.Items,
            PyTuple tuple => tuple.Items,
            _ => null,
        };
        var loop = sequence is not null
            ? new LoopContext(sequence, depth0, recurse)
            : new LoopContext(Filtered(scope, iterable), depth0, recurse);
        var unfinished = true;
        while (loop.MoveNext())
        {
            session.Tick();
            var iteration = Scope.ForFrame(session, scope, BodyMissingNames);
            Target.Assign(iteration, loop.Current);
            iteration.Set("loop", loop);
            var flow = ExecuteBody(Body, iteration);
            if (flow == Flow.Break)
            {
                break;
            }

            if (flow == Flow.Normal)
            {
                unfinished = false;
            }
        }

        return unfinished && ElseBody.Length > 0 ? ExecuteBody(ElseBody, Scope.ForFrame(session, scope, ElseMissingNames)) : Flow.Normal;
    }

    private string RunNested(Scope scope, object? children, int depth0)
    {
        // An exception aborts the whole render, so the capture needs no unwinding on that path.
        var session = scope.Session;
        session.EnterCall();
        session.BeginCapture();
        Run(scope, children, depth0);
        session.ExitCall();
        return session.EndCapture();
    }

    private IEnumerable<object?> Filtered(Scope scope, object? iterable)
    {
        foreach (var item in PyIteration.Iterate(iterable, scope.Session))
        {
            if (Test is null)
            {
                yield return item;
                continue;
            }

            var candidate = new Scope(scope.Session, scope);
            Target.Assign(candidate, item);
            if (PyOps.Truthy(Test.Evaluate(candidate)))
            {
                yield return item;
            }
        }
    }
}
