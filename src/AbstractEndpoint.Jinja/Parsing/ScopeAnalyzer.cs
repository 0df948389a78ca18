using AbstractEndpoint.Jinja.Syntax;
using AbstractEndpoint.Jinja.Syntax.Expressions;
using AbstractEndpoint.Jinja.Syntax.Statements;
using AbstractEndpoint.Jinja.Syntax.Targets;

namespace AbstractEndpoint.Jinja.Parsing;

/// <summary>
/// Jinja2 decides variable scoping at compile time (jinja2/idtracking.py), and it shows: when a frame (the template,
/// a loop body, a macro, a with/filter/set block) assigns a name and that assignment is the first mention of the
/// name in the frame, the frame's variable starts out "missing", so a nested frame reading it before the assignment
/// runs sees Undefined, even if the render context has a value. This analysis replays Jinja2's symbol tracking and
/// records, per frame, the names that start missing; the runtime pre-binds them.
/// </summary>
internal static class ScopeAnalyzer
{
    /// <summary>Analyzes the template and annotates every frame; returns the root frame's missing names.</summary>
    public static string[] Analyze(Stmt[] body) => AnalyzeFrame(body, null, []);

    private static string[] AnalyzeFrame(IEnumerable<Stmt> body, Symbols? parent, IEnumerable<string> parameters, IEnumerable<Expr>? preamble = null)
    {
        var symbols = new Symbols(parent);
        foreach (var parameter in parameters)
        {
            symbols.DeclareParameter(parameter);
        }

        var nested = new List<Action<Symbols>>();
        var visitor = new FrameVisitor(nested);
        foreach (var expr in preamble ?? [])
        {
            visitor.Visit(expr, symbols);
        }

        foreach (var statement in body)
        {
            visitor.Visit(statement, symbols);
        }

        // Nested frames see this frame's complete symbol table, as in Jinja2's compiler.
        foreach (var analyze in nested)
        {
            analyze(symbols);
        }

        return symbols.MissingNames();
    }

    private sealed class Symbols(Symbols? parent)
    {
        private readonly Dictionary<string, LoadKind> _refs = new(StringComparer.Ordinal);
        private readonly HashSet<string> _stores = new(StringComparer.Ordinal);

        public Symbols? Parent { get; } = parent;

        public Symbols Copy()
        {
            var copy = new Symbols(Parent);
            foreach (var (name, kind) in _refs)
            {
                copy._refs[name] = kind;
            }

            copy._stores.UnionWith(_stores);
            return copy;
        }

        public bool HasRef(string name)
        {
            for (var symbols = this; symbols is not null; symbols = symbols.Parent)
            {
                if (symbols._refs.ContainsKey(name))
                {
                    return true;
                }
            }

            return false;
        }

        public void Load(string name)
        {
            if (!HasRef(name))
            {
                _refs[name] = LoadKind.Resolve;
            }
        }

        public void Store(string name)
        {
            _stores.Add(name);
            if (!_refs.ContainsKey(name))
            {
                _refs[name] = Parent?.HasRef(name) == true ? LoadKind.Alias : LoadKind.Undefined;
            }
        }

        public void DeclareParameter(string name)
        {
            _stores.Add(name);
            _refs[name] = LoadKind.Parameter;
        }

        /// <summary>Jinja2's branch_update after an if: names first stored in a branch resolve or alias, never start missing.</summary>
        public void MergeBranches(Symbols[] branches)
        {
            var newStores = new HashSet<string>(StringComparer.Ordinal);
            foreach (var branch in branches)
            {
                newStores.UnionWith(branch._stores);
            }

            newStores.ExceptWith(_stores);
            foreach (var branch in branches)
            {
                foreach (var (name, kind) in branch._refs)
                {
                    _refs[name] = kind;
                }

                _stores.UnionWith(branch._stores);
            }

            foreach (var name in newStores)
            {
                _refs[name] = Parent?.HasRef(name) == true ? LoadKind.Alias : LoadKind.Resolve;
            }
        }

        public string[] MissingNames() => [.. _refs.Where(pair => pair.Value == LoadKind.Undefined).Select(pair => pair.Key)];
    }

    private enum LoadKind
    {
        Resolve,
        Alias,
        Undefined,
        Parameter,
    }

    /// <summary>Jinja2's FrameSymbolVisitor: walks one frame, stopping at nested frames (queued for later).</summary>
    private sealed class FrameVisitor(List<Action<Symbols>> nested)
    {
        public void Visit(Stmt statement, Symbols symbols)
        {
            switch (statement)
            {
                case OutputStmt output:
                    Visit(output.Expression, symbols);
                    break;
                case IfStmt conditional:
                    VisitIf(conditional, 0, symbols);
                    break;
                case SetStmt set:
                    Visit(set.Value, symbols);
                    Visit(set.Target, symbols);
                    break;
                case ForStmt loop:
                    Visit(loop.Iterable, symbols);
                    nested.Add(parent =>
                    {
                        loop.BodyMissingNames = AnalyzeFrame(loop.Body, parent, [.. TargetNames(loop.Target), "loop"]);
                        loop.ElseMissingNames = AnalyzeFrame(loop.ElseBody, parent, []);
                    });
                    break;
                case MacroStmt macro:
                    symbols.Store(macro.Definition.Name);
                    nested.Add(parent => AnalyzeMacro(macro.Definition, parent));
                    break;
                case CallBlockStmt call:
                    Visit(call.Call, symbols);
                    nested.Add(parent => AnalyzeMacro(call.Caller, parent));
                    break;
                case FilterBlockStmt filter:
                    VisitArguments(filter.Filter, symbols);
                    nested.Add(parent => filter.MissingNames = AnalyzeFrame(filter.Body, parent, [], FilterArguments(filter.Filter)));
                    break;
                case WithStmt with:
                    foreach (var value in with.Values)
                    {
                        Visit(value, symbols);
                    }

                    nested.Add(parent => with.MissingNames = AnalyzeFrame(with.Body, parent, with.Targets.SelectMany(TargetNames)));
                    break;
                case SetBlockStmt block:
                    Visit(block.Target, symbols);
                    nested.Add(parent => block.MissingNames = AnalyzeFrame(block.Body, parent, []));
                    break;
                case ScopeStmt scope:
                    nested.Add(parent => scope.MissingNames = AnalyzeFrame(scope.Body, parent, []));
                    break;
            }
        }

        private void VisitIf(IfStmt conditional, int from, Symbols symbols)
        {
            // Jinja2 nests elif as an If inside a branch; replay that shape.
            Visit(conditional.Tests[from], symbols);
            var body = VisitBranch(conditional.Bodies[from], symbols);
            var elifs = symbols.Copy();
            if (from + 1 < conditional.Tests.Length)
            {
                VisitIf(conditional, from + 1, elifs);
                symbols.MergeBranches([body, elifs, symbols.Copy()]);
                return;
            }

            symbols.MergeBranches([body, elifs, VisitBranch(conditional.ElseBody, symbols)]);
        }

        private Symbols VisitBranch(Stmt[] body, Symbols symbols)
        {
            var branch = symbols.Copy();
            foreach (var statement in body)
            {
                Visit(statement, branch);
            }

            return branch;
        }

        private static void Visit(AssignTarget target, Symbols symbols)
        {
            switch (target)
            {
                case NameTarget name:
                    symbols.Store(name.Name);
                    break;
                case TupleTarget tuple:
                    foreach (var item in tuple.Items)
                    {
                        Visit(item, symbols);
                    }

                    break;
                case NamespaceTarget ns:
                    symbols.Load(ns.NamespaceName);
                    break;
            }
        }

        private static IEnumerable<string> TargetNames(AssignTarget target) => target switch
        {
            NameTarget name => [name.Name],
            TupleTarget tuple => tuple.Items.SelectMany(TargetNames),
            _ => [],
        };

        private static void AnalyzeMacro(MacroDefinition definition, Symbols parent)
        {
            IEnumerable<string> parameters = definition.Parameters;
            if (definition.UsesCaller)
            {
                parameters = parameters.Append("caller");
            }

            if (definition.UsesKwargs)
            {
                parameters = parameters.Append("kwargs");
            }

            if (definition.UsesVarargs)
            {
                parameters = parameters.Append("varargs");
            }

            definition.MissingNames = AnalyzeFrame(definition.Body, parent, parameters, definition.Defaults);
        }

        private static IEnumerable<Expr> FilterArguments(FilterExpr? filter)
        {
            for (; filter is not null; filter = filter.Operand as FilterExpr)
            {
                foreach (var expr in ArgumentExpressions(filter.Arguments))
                {
                    yield return expr;
                }
            }
        }

        private void VisitArguments(FilterExpr filter, Symbols symbols)
        {
            foreach (var expr in FilterArguments(filter))
            {
                Visit(expr, symbols);
            }
        }

        private static IEnumerable<Expr> ArgumentExpressions(ArgumentList arguments)
        {
            foreach (var expr in arguments.Positional)
            {
                yield return expr;
            }

            foreach (var expr in arguments.KeywordValues)
            {
                yield return expr;
            }

            if (arguments.Splat is not null)
            {
                yield return arguments.Splat;
            }

            if (arguments.DoubleSplat is not null)
            {
                yield return arguments.DoubleSplat;
            }
        }

        public void Visit(Expr? expr, Symbols symbols)
        {
            switch (expr)
            {
                case null or ConstantExpr:
                    break;
                case NameExpr name:
                    symbols.Load(name.Name);
                    break;
                case ListExpr list:
                    VisitAll(list.Items, symbols);
                    break;
                case TupleExpr tuple:
                    VisitAll(tuple.Items, symbols);
                    break;
                case DictExpr dict:
                    for (var i = 0; i < dict.Keys.Length; i++)
                    {
                        Visit(dict.Keys[i], symbols);
                        Visit(dict.Values[i], symbols);
                    }

                    break;
                case AttributeExpr attribute:
                    Visit(attribute.Target, symbols);
                    break;
                case ItemExpr item:
                    Visit(item.Target, symbols);
                    Visit(item.Key, symbols);
                    break;
                case SliceExpr slice:
                    Visit(slice.Start, symbols);
                    Visit(slice.Stop, symbols);
                    Visit(slice.Step, symbols);
                    break;
                case CallExpr call:
                    Visit(call.Callee, symbols);
                    VisitAll(ArgumentExpressions(call.Arguments), symbols);
                    break;
                case FilterExpr filter:
                    Visit(filter.Operand, symbols);
                    VisitAll(ArgumentExpressions(filter.Arguments), symbols);
                    break;
                case TestExpr test:
                    Visit(test.Operand, symbols);
                    VisitAll(ArgumentExpressions(test.Arguments), symbols);
                    break;
                case BinaryExpr binary:
                    Visit(binary.Left, symbols);
                    Visit(binary.Right, symbols);
                    break;
                case UnaryExpr unary:
                    Visit(unary.Operand, symbols);
                    break;
                case NotExpr not:
                    Visit(not.Operand, symbols);
                    break;
                case ConcatExpr concat:
                    VisitAll(concat.Parts, symbols);
                    break;
                case CompareExpr compare:
                    Visit(compare.First, symbols);
                    VisitAll(compare.Operands, symbols);
                    break;
                case AndExpr and:
                    Visit(and.Left, symbols);
                    Visit(and.Right, symbols);
                    break;
                case OrExpr or:
                    Visit(or.Left, symbols);
                    Visit(or.Right, symbols);
                    break;
                case ConditionalExpr conditional:
                    Visit(conditional.Test, symbols);
                    Visit(conditional.WhenTrue, symbols);
                    Visit(conditional.WhenFalse, symbols);
                    break;
                case NamespaceRefExpr reference:
                    symbols.Load(reference.NamespaceName);
                    break;
            }
        }

        private void VisitAll(IEnumerable<Expr> items, Symbols symbols)
        {
            foreach (var item in items)
            {
                Visit(item, symbols);
            }
        }
    }
}
