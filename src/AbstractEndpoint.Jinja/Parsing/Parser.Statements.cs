using AbstractEndpoint.Jinja.Lexing;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Syntax;
using AbstractEndpoint.Jinja.Syntax.Expressions;
using AbstractEndpoint.Jinja.Syntax.Statements;
using AbstractEndpoint.Jinja.Syntax.Targets;

namespace AbstractEndpoint.Jinja.Parsing;

/// <summary>Statement grammar: for, if, set, macro, call, filter, with, block, print, generation, break/continue.</summary>
internal sealed partial class Parser
{
    private Stmt[] Subparse(string[]? endTokens)
    {
        var body = new List<Stmt>();
        if (endTokens is not null)
        {
            _endTokenStack.Add(endTokens);
        }

        while (Current.Kind != TokenKind.Eof)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Data:
                    Next();
                    body.Add(new TextStmt(token.Line, token.Text));
                    break;
                case TokenKind.VariableBegin:
                    Next();
                    body.Add(Output(token.Line, ParseTuple()));
                    Expect(TokenKind.VariableEnd);
                    break;
                case TokenKind.BlockBegin:
                    Next();
                    if (endTokens is not null && Current.Kind == TokenKind.Name && Array.IndexOf(endTokens, Current.Text) >= 0)
                    {
                        _endTokenStack.RemoveAt(_endTokenStack.Count - 1);
                        return [.. body];
                    }

                    body.AddRange(ParseStatement());
                    Expect(TokenKind.BlockEnd);
                    break;
                default:
                    throw Fail($"unexpected '{token.Describe()}'");
            }
        }

        if (endTokens is not null)
        {
            _endTokenStack.RemoveAt(_endTokenStack.Count - 1);
        }

        return [.. body];
    }

    /// <summary>A <c>{{ }}</c>; a constant one is rendered once, now, as Jinja2's compiler does.</summary>
    private Stmt Output(int line, Expr expression) =>
        _folder.TryFoldOutput(expression, out var value) ? new TextStmt(line, Python.PyRepr.Str(value)) : new OutputStmt(line, expression);

    /// <summary>Parses <c>%} body {% end</c> and leaves the end tag name current (or consumed with <paramref name="dropNeedle"/>).</summary>
    private Stmt[] ParseStatements(string[] endTokens, bool dropNeedle = false)
    {
        SkipIf(TokenKind.Colon);
        Expect(TokenKind.BlockEnd);
        var result = Subparse(endTokens);
        if (Current.Kind == TokenKind.Eof)
        {
            throw FailEndOfTemplate(endTokens);
        }

        if (dropNeedle)
        {
            Next();
        }

        return result;
    }

    private Stmt[] ParseStatementsInFrame(string[] endTokens, bool dropNeedle, bool soft)
    {
        var saved = _softFrame;
        _softFrame = soft;
        var result = ParseStatements(endTokens, dropNeedle);
        _softFrame = saved;
        return result;
    }

    private Stmt[] ParseStatement()
    {
        var token = Current;
        if (token.Kind != TokenKind.Name)
        {
            throw Fail("tag name expected", token.Line);
        }

        EnterNesting();
        _tagStack.Add(token.Text);
        Stmt[] result = token.Text switch
        {
            "for" => [ParseFor()],
            "if" => [ParseIf()],
            "set" => [ParseSet()],
            "macro" => [ParseMacro()],
            "call" => [ParseCallBlock()],
            "filter" => [ParseFilterBlock()],
            "with" => [ParseWith()],
            "block" => [ParseBlock()],
            "generation" => [ParseGeneration()],
            "print" => ParsePrint(),
            "break" or "continue" => [ParseLoopControl()],
            "extends" or "include" or "import" or "from" or "autoescape" =>
                throw Fail($"the '{token.Text}' tag is not supported (templates are rendered standalone)", token.Line),
            _ => throw FailUnknownTag(token),
        };
        _tagStack.RemoveAt(_tagStack.Count - 1);
        ExitNesting();
        return result;
    }

    private JinjaSyntaxException FailUnknownTag(Token token)
    {
        _tagStack.RemoveAt(_tagStack.Count - 1);
        return FailMessage(token.Text, _endTokenStack, token.Line);
    }

    private JinjaSyntaxException FailEndOfTemplate(string[] endTokens) => FailMessage(null, [.. _endTokenStack, endTokens], Current.Line);

    /// <summary>Jinja2's <c>_fail_ut_eof</c> wording, naming the tags it was looking for and the block left open.</summary>
    private JinjaSyntaxException FailMessage(string? name, List<string[]> endTokenStack, int line)
    {
        var parts = new List<string> { name is null ? "Unexpected end of template." : $"Encountered unknown tag '{name}'." };
        if (endTokenStack.Count > 0)
        {
            var looking = string.Join(" or ", endTokenStack[^1].Select(t => $"'{t}'"));
            var expected = endTokenStack.SelectMany(t => t).ToHashSet(StringComparer.Ordinal);
            parts.Add(name is not null && expected.Contains(name)
                ? $"You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for {looking}."
                : $"Jinja was looking for the following tags: {looking}.");
        }

        if (_tagStack.Count > 0)
        {
            parts.Add($"The innermost block that needs to be closed is '{_tagStack[^1]}'.");
        }

        return Fail(string.Join(' ', parts), line);
    }

    private ForStmt ParseFor()
    {
        var line = ExpectName("for").Line;
        var target = ParseAssignTarget(extraEndRules: ["in"]);
        if (ContainsName(target, "loop"))
        {
            throw Fail("Can't assign to special loop variable in for-loop target", line);
        }

        ExpectName("in");
        var iterable = ParseTuple(withCondition: false, extraEndRules: ["recursive"]);
        var savedSoft = _softFrame;
        _softFrame = false;
        var test = SkipIfName("if") ? ParseExpression() : null;
        _softFrame = savedSoft;
        var recursive = SkipIfName("recursive");
        _loopDepth++;
        var body = ParseStatementsInFrame(["endfor", "else"], dropNeedle: false, soft: false);
        _loopDepth--;
        var elseBody = Next().Text == "endfor" ? [] : ParseStatementsInFrame(["endfor"], dropNeedle: true, soft: false);
        return new ForStmt(line, target, iterable, test, recursive, body, elseBody);
    }

    private static bool ContainsName(AssignTarget target, string name) => target switch
    {
        NameTarget n => n.Name == name,
        TupleTarget t => t.Items.Any(item => ContainsName(item, name)),
        _ => false,
    };

    private IfStmt ParseIf()
    {
        var line = ExpectName("if").Line;
        var saved = _softFrame;
        _softFrame = true;
        var tests = new List<Expr>();
        var bodies = new List<Stmt[]>();
        Stmt[] elseBody = [];
        while (true)
        {
            tests.Add(ParseTuple(withCondition: false));
            bodies.Add(ParseStatements(["elif", "else", "endif"]));
            var token = Next();
            if (token.IsName("elif"))
            {
                continue;
            }

            if (token.IsName("else"))
            {
                elseBody = ParseStatements(["endif"], dropNeedle: true);
            }

            break;
        }

        _softFrame = saved;
        return new IfStmt(line, [.. tests], [.. bodies], elseBody);
    }

    private Stmt ParseSet()
    {
        var line = Next().Line;
        var target = ParseAssignTarget(withNamespace: true);
        if (SkipIf(TokenKind.Assign))
        {
            return new SetStmt(line, target, ParseTuple());
        }

        var filter = ParseFilters(null, startInline: false);
        var body = ParseStatementsInFrame(["endset"], dropNeedle: true, soft: false);
        return new SetBlockStmt(line, target, filter, body);
    }

    private AssignTarget ParseAssignTarget(bool withTuple = true, bool nameOnly = false, string[]? extraEndRules = null, bool withNamespace = false)
    {
        if (nameOnly)
        {
            return new NameTarget(Expect(TokenKind.Name).Text);
        }

        var line = Current.Line;
        var expr = withTuple
            ? ParseTuple(simplified: true, extraEndRules: extraEndRules, withNamespace: withNamespace)
            : ParsePrimary(withNamespace);
        return ToTarget(expr, line);
    }

    private AssignTarget ToTarget(Expr expr, int line) => expr switch
    {
        NameExpr name => new NameTarget(name.Name),
        NamespaceRefExpr reference => new NamespaceTarget(reference.NamespaceName, reference.Attribute),
        TupleExpr tuple => new TupleTarget([.. tuple.Items.Select(item => ToTarget(item, line))]),
        ConstantExpr => throw Fail("can't assign to 'const'", line),
        _ => throw Fail($"can't assign to '{expr.GetType().Name.Replace("Expr", string.Empty, StringComparison.Ordinal).ToLowerInvariant()}'", line),
    };

    private (string[] Names, Expr[] Defaults) ParseSignature()
    {
        var names = new List<string>();
        var defaults = new List<Expr>();
        Expect(TokenKind.LParen);
        while (Current.Kind != TokenKind.RParen)
        {
            if (names.Count > 0)
            {
                Expect(TokenKind.Comma);
            }

            var name = Expect(TokenKind.Name).Text;
            if (SkipIf(TokenKind.Assign))
            {
                defaults.Add(ParseExpression());
            }
            else if (defaults.Count > 0)
            {
                throw Fail("non-default argument follows default argument");
            }

            names.Add(name);
        }

        Expect(TokenKind.RParen);
        return ([.. names], [.. defaults]);
    }

    private MacroStmt ParseMacro()
    {
        var line = Next().Line;
        var name = Expect(TokenKind.Name).Text;
        var (parameters, defaults) = ParseSignature();
        var body = ParseMacroBody(["endmacro"], out var features);
        return new MacroStmt(line, new MacroDefinition(name, parameters, defaults, body, features));
    }

    /// <summary>A macro or caller body: its own frame, no enclosing loop, and tracking of caller/kwargs/varargs.</summary>
    private Stmt[] ParseMacroBody(string[] endTokens, out MacroFeatures features)
    {
        var savedLoopDepth = _loopDepth;
        _loopDepth = 0;
        _macroFeatures.Add(MacroFeatures.None);
        var body = ParseStatementsInFrame(endTokens, dropNeedle: true, soft: false);
        features = _macroFeatures[^1];
        _macroFeatures.RemoveAt(_macroFeatures.Count - 1);
        _loopDepth = savedLoopDepth;
        return body;
    }

    private CallBlockStmt ParseCallBlock()
    {
        var line = Next().Line;
        var (parameters, defaults) = Current.Kind == TokenKind.LParen ? ParseSignature() : ([], []);
        if (ParseExpression() is not CallExpr call)
        {
            throw Fail("expected call", line);
        }

        var body = ParseMacroBody(["endcall"], out var features);
        return new CallBlockStmt(line, call, new MacroDefinition("caller", parameters, defaults, body, features));
    }

    private FilterBlockStmt ParseFilterBlock()
    {
        var line = Next().Line;
        var filter = ParseFilters(null, startInline: true)!;
        var body = ParseStatementsInFrame(["endfilter"], dropNeedle: true, soft: false);
        return new FilterBlockStmt(line, filter, body);
    }

    private WithStmt ParseWith()
    {
        var line = Next().Line;
        var targets = new List<AssignTarget>();
        var values = new List<Expr>();
        while (Current.Kind != TokenKind.BlockEnd)
        {
            if (targets.Count > 0)
            {
                Expect(TokenKind.Comma);
            }

            targets.Add(ParseAssignTarget());
            Expect(TokenKind.Assign);
            values.Add(ParseExpression());
        }

        var body = ParseStatementsInFrame(["endwith"], dropNeedle: true, soft: false);
        return new WithStmt(line, [.. targets], [.. values], body);
    }

    private ScopeStmt ParseBlock()
    {
        var line = Next().Line;
        var name = Expect(TokenKind.Name).Text;
        SkipIfName("scoped");
        SkipIfName("required");
        if (Current.Kind == TokenKind.Sub)
        {
            throw Fail("Block names in Jinja have to be valid Python identifiers and may not contain hyphens, use an underscore instead.");
        }

        var body = ParseStatementsInFrame(["endblock"], dropNeedle: true, soft: false);
        SkipIfName(name);
        return new ScopeStmt(line, body);
    }

    private ScopeStmt ParseGeneration()
    {
        var line = Next().Line;
        return new ScopeStmt(line, ParseStatementsInFrame(["endgeneration"], dropNeedle: true, soft: false));
    }

    private Stmt[] ParsePrint()
    {
        Next();
        var outputs = new List<Stmt>();
        while (Current.Kind != TokenKind.BlockEnd)
        {
            if (outputs.Count > 0)
            {
                Expect(TokenKind.Comma);
            }

            var line = Current.Line;
            outputs.Add(Output(line, ParseExpression()));
        }

        return [.. outputs];
    }

    private LoopControlStmt ParseLoopControl()
    {
        var token = Next();
        if (_loopDepth == 0)
        {
            throw Fail($"'{token.Text}' outside loop", token.Line);
        }

        return new LoopControlStmt(token.Line, token.Text == "break" ? Flow.Break : Flow.Continue);
    }
}
