using AbstractEndpoint.Jinja.Builtins;
using AbstractEndpoint.Jinja.Lexing;
using AbstractEndpoint.Jinja.Syntax;
using AbstractEndpoint.Jinja.Syntax.Expressions;

namespace AbstractEndpoint.Jinja.Parsing;

/// <summary>Expression grammar, following jinja2/parser.py function by function.</summary>
internal sealed partial class Parser
{
    private Expr ParseExpression(bool withCondition = true) => withCondition ? ParseConditional() : ParseOr();

    private Expr ParseConditional()
    {
        var mark = _unknown.Count;
        var line = Current.Line;
        var expr = ParseOr();
        while (SkipIfName("if"))
        {
            var test = ParseOr();
            var otherwise = SkipIfName("else") ? ParseConditional() : null;
            expr = Fold(new ConditionalExpr(line, test, expr, otherwise));
            line = Current.Line;

            // Jinja2 compiles conditional expressions in a "soft" frame: unknown filters there fail only if reached.
            for (var i = mark; i < _unknown.Count; i++)
            {
                _unknown[i].Soft = true;
            }
        }

        return expr;
    }

    private Expr ParseOr()
    {
        var line = Current.Line;
        var left = ParseAnd();
        while (SkipIfName("or"))
        {
            left = Fold(new OrExpr(line, left, ParseAnd()));
            line = Current.Line;
        }

        return left;
    }

    private Expr ParseAnd()
    {
        var line = Current.Line;
        var left = ParseNot();
        while (SkipIfName("and"))
        {
            left = Fold(new AndExpr(line, left, ParseNot()));
            line = Current.Line;
        }

        return left;
    }

    private Expr ParseNot()
    {
        if (!Current.IsName("not"))
        {
            return ParseCompare();
        }

        var line = Next().Line;
        EnterNesting();
        var operand = ParseNot();
        ExitNesting();
        return Fold(new NotExpr(line, operand));
    }

    private Expr ParseCompare()
    {
        var line = Current.Line;
        var expr = ParseMath1();
        List<CompareOperator>? operators = null;
        List<Expr>? operands = null;
        while (true)
        {
            CompareOperator op;
            switch (Current.Kind)
            {
                case TokenKind.Eq:
                    op = CompareOperator.Equal;
                    break;
                case TokenKind.Ne:
                    op = CompareOperator.NotEqual;
                    break;
                case TokenKind.Lt:
                    op = CompareOperator.Less;
                    break;
                case TokenKind.LtEq:
                    op = CompareOperator.LessOrEqual;
                    break;
                case TokenKind.Gt:
                    op = CompareOperator.Greater;
                    break;
                case TokenKind.GtEq:
                    op = CompareOperator.GreaterOrEqual;
                    break;
                default:
                    if (Current.IsName("in"))
                    {
                        op = CompareOperator.In;
                        break;
                    }

                    if (Current.IsName("not") && Look.IsName("in"))
                    {
                        Next();
                        op = CompareOperator.NotIn;
                        break;
                    }

                    if (operators is null)
                    {
                        return expr;
                    }

                    return Fold(new CompareExpr(line, expr, [.. operators], [.. operands!]));
            }

            Next();
            (operators ??= []).Add(op);
            (operands ??= []).Add(ParseMath1());
            line = Current.Line;
        }
    }

    private Expr ParseMath1()
    {
        var line = Current.Line;
        var left = ParseConcat();
        while (Current.Kind is TokenKind.Add or TokenKind.Sub)
        {
            var op = Next().Kind == TokenKind.Add ? BinaryOperator.Add : BinaryOperator.Subtract;
            left = Fold(new BinaryExpr(line, op, left, ParseConcat()));
            line = Current.Line;
        }

        return left;
    }

    private Expr ParseConcat()
    {
        var line = Current.Line;
        var first = ParseMath2();
        if (Current.Kind != TokenKind.Tilde)
        {
            return first;
        }

        var parts = new List<Expr> { first };
        while (SkipIf(TokenKind.Tilde))
        {
            parts.Add(ParseMath2());
        }

        return Fold(new ConcatExpr(line, [.. parts]));
    }

    private Expr ParseMath2()
    {
        var line = Current.Line;
        var left = ParsePow();
        while (Current.Kind is TokenKind.Mul or TokenKind.Div or TokenKind.FloorDiv or TokenKind.Mod)
        {
            var op = Next().Kind switch
            {
                TokenKind.Mul => BinaryOperator.Multiply,
                TokenKind.Div => BinaryOperator.Divide,
                TokenKind.FloorDiv => BinaryOperator.FloorDivide,
                _ => BinaryOperator.Modulo,
            };
            left = Fold(new BinaryExpr(line, op, left, ParsePow()));
            line = Current.Line;
        }

        return left;
    }

    private Expr ParsePow()
    {
        var line = Current.Line;
        var left = ParseUnary();
        while (SkipIf(TokenKind.Pow))
        {
            left = Fold(new BinaryExpr(line, BinaryOperator.Power, left, ParseUnary()));
            line = Current.Line;
        }

        return left;
    }

    private Expr ParseUnary(bool withFilter = true)
    {
        EnterNesting();
        var line = Current.Line;
        Expr node;
        if (SkipIf(TokenKind.Sub))
        {
            node = Fold(new UnaryExpr(line, negate: true, ParseUnary(false)));
        }
        else if (SkipIf(TokenKind.Add))
        {
            node = Fold(new UnaryExpr(line, negate: false, ParseUnary(false)));
        }
        else
        {
            node = ParsePrimary();
        }

        node = ParsePostfix(node);
        if (withFilter)
        {
            node = ParseFilterChain(node);
        }

        ExitNesting();
        return node;
    }

    private Expr ParsePrimary(bool withNamespace = false)
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Name:
                Next();
                switch (token.Text)
                {
                    case "true" or "True":
                        return new ConstantExpr(token.Line, Python.PyBox.True);
                    case "false" or "False":
                        return new ConstantExpr(token.Line, Python.PyBox.False);
                    case "none" or "None":
                        return new ConstantExpr(token.Line, null);
                }

                if (withNamespace && Current.Kind == TokenKind.Dot)
                {
                    Next();
                    return new NamespaceRefExpr(token.Line, token.Text, Expect(TokenKind.Name).Text);
                }

                NoteName(token.Text);
                return new NameExpr(token.Line, token.Text);
            case TokenKind.String:
                Next();
                var text = token.Text;
                while (Current.Kind == TokenKind.String)
                {
                    text += Next().Text;
                }

                return new ConstantExpr(token.Line, text);
            case TokenKind.Integer or TokenKind.Float:
                Next();
                return new ConstantExpr(token.Line, token.Value);
            case TokenKind.LParen:
                Next();
                var inner = ParseTuple(explicitParentheses: true);
                Expect(TokenKind.RParen);
                return inner;
            case TokenKind.LBracket:
                return ParseList();
            case TokenKind.LBrace:
                return ParseDict();
            default:
                throw Fail($"unexpected '{token.Describe()}'", token.Line);
        }
    }

    /// <summary>Jinja2's parse_tuple: one expression, or a tuple when commas follow (parentheses optional).</summary>
    private Expr ParseTuple(bool simplified = false, bool withCondition = true, string[]? extraEndRules = null,
        bool explicitParentheses = false, bool withNamespace = false)
    {
        var line = Current.Line;
        var items = new List<Expr>();
        var isTuple = false;
        while (true)
        {
            if (items.Count > 0)
            {
                Expect(TokenKind.Comma);
            }

            if (IsTupleEnd(extraEndRules))
            {
                break;
            }

            items.Add(simplified ? ParsePrimary(withNamespace) : ParseExpression(withCondition));
            if (Current.Kind == TokenKind.Comma)
            {
                isTuple = true;
            }
            else
            {
                break;
            }

            line = Current.Line;
        }

        if (!isTuple)
        {
            if (items.Count > 0)
            {
                return items[0];
            }

            if (!explicitParentheses)
            {
                throw Fail($"Expected an expression, got '{Current.Describe()}'");
            }
        }

        return Fold(new TupleExpr(line, [.. items]));
    }

    private bool IsTupleEnd(string[]? extraEndRules)
    {
        if (Current.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd or TokenKind.RParen)
        {
            return true;
        }

        return extraEndRules is not null && Current.Kind == TokenKind.Name && Array.IndexOf(extraEndRules, Current.Text) >= 0;
    }

    private Expr ParseList()
    {
        var line = Expect(TokenKind.LBracket).Line;
        var items = new List<Expr>();
        while (Current.Kind != TokenKind.RBracket)
        {
            if (items.Count > 0)
            {
                Expect(TokenKind.Comma);
            }

            if (Current.Kind == TokenKind.RBracket)
            {
                break;
            }

            items.Add(ParseExpression());
        }

        Expect(TokenKind.RBracket);
        return Fold(new ListExpr(line, [.. items]));
    }

    private Expr ParseDict()
    {
        var line = Expect(TokenKind.LBrace).Line;
        var keys = new List<Expr>();
        var values = new List<Expr>();
        while (Current.Kind != TokenKind.RBrace)
        {
            if (keys.Count > 0)
            {
                Expect(TokenKind.Comma);
            }

            if (Current.Kind == TokenKind.RBrace)
            {
                break;
            }

            keys.Add(ParseExpression());
            Expect(TokenKind.Colon);
            values.Add(ParseExpression());
        }

        Expect(TokenKind.RBrace);
        return Fold(new DictExpr(line, [.. keys], [.. values]));
    }

    private Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            switch (Current.Kind)
            {
                case TokenKind.Dot or TokenKind.LBracket:
                    node = ParseSubscript(node);
                    break;
                case TokenKind.LParen:
                    node = new CallExpr(Current.Line, node, ParseCallArguments());
                    break;
                default:
                    return node;
            }
        }
    }

    private Expr ParseFilterChain(Expr node)
    {
        while (true)
        {
            if (Current.Kind == TokenKind.Pipe)
            {
                node = ParseFilterNodes(node);
            }
            else if (Current.IsName("is"))
            {
                node = ParseTest(node);
            }
            else if (Current.Kind == TokenKind.LParen)
            {
                node = new CallExpr(Current.Line, node, ParseCallArguments());
            }
            else
            {
                return node;
            }
        }
    }

    private Expr ParseSubscript(Expr node)
    {
        var token = Next();
        if (token.Kind == TokenKind.Dot)
        {
            var attribute = Next();
            return attribute.Kind switch
            {
                TokenKind.Name => Fold(new AttributeExpr(token.Line, node, attribute.Text)),
                TokenKind.Integer => Fold(new ItemExpr(token.Line, node, new ConstantExpr(attribute.Line, attribute.Value))),
                _ => throw Fail("expected name or number", attribute.Line),
            };
        }

        var arguments = new List<Expr>();
        while (Current.Kind != TokenKind.RBracket)
        {
            if (arguments.Count > 0)
            {
                Expect(TokenKind.Comma);
            }

            arguments.Add(ParseSubscribed());
        }

        Expect(TokenKind.RBracket);
        var key = arguments.Count == 1 ? arguments[0] : new TupleExpr(token.Line, [.. arguments]);
        return Fold(new ItemExpr(token.Line, node, key));
    }

    private Expr ParseSubscribed()
    {
        var line = Current.Line;
        Expr? start = null;
        if (!SkipIf(TokenKind.Colon))
        {
            var expr = ParseExpression();
            if (!SkipIf(TokenKind.Colon))
            {
                return expr;
            }

            start = expr;
        }

        Expr? stop = null;
        if (Current.Kind is not (TokenKind.Colon or TokenKind.RBracket or TokenKind.Comma))
        {
            stop = ParseExpression();
        }

        Expr? step = null;
        if (SkipIf(TokenKind.Colon) && Current.Kind is not (TokenKind.RBracket or TokenKind.Comma))
        {
            step = ParseExpression();
        }

        return new SliceExpr(line, start, stop, step);
    }

    private ArgumentList ParseCallArguments()
    {
        var open = Expect(TokenKind.LParen);
        var positional = new List<Expr>();
        var names = new List<string>();
        var values = new List<Expr>();
        Expr? splat = null;
        Expr? doubleSplat = null;
        var requireComma = false;
        while (Current.Kind != TokenKind.RParen)
        {
            if (requireComma)
            {
                Expect(TokenKind.Comma);
                if (Current.Kind == TokenKind.RParen)
                {
                    break;
                }
            }

            if (SkipIf(TokenKind.Mul))
            {
                Ensure(splat is null && doubleSplat is null, open);
                splat = ParseExpression();
            }
            else if (SkipIf(TokenKind.Pow))
            {
                Ensure(doubleSplat is null, open);
                doubleSplat = ParseExpression();
            }
            else if (Current.Kind == TokenKind.Name && Look.Kind == TokenKind.Assign)
            {
                Ensure(doubleSplat is null, open);
                names.Add(Next().Text);
                Next();
                values.Add(ParseExpression());
            }
            else
            {
                Ensure(splat is null && doubleSplat is null && names.Count == 0, open);
                positional.Add(ParseExpression());
            }

            requireComma = true;
        }

        Expect(TokenKind.RParen);
        return positional.Count == 0 && names.Count == 0 && splat is null && doubleSplat is null
            ? ArgumentList.None
            : new ArgumentList([.. positional], [.. names], [.. values], splat, doubleSplat);
    }

    private void Ensure(bool condition, Token open)
    {
        if (!condition)
        {
            throw Fail("invalid syntax for function call expression", open.Line);
        }
    }

    private string ParseDottedName()
    {
        var name = Expect(TokenKind.Name).Text;
        while (SkipIf(TokenKind.Dot))
        {
            name += "." + Expect(TokenKind.Name).Text;
        }

        return name;
    }

    private Expr ParseFilterNodes(Expr node)
    {
        ParseFilters(node, startInline: false, out var last);
        return last!;
    }

    /// <summary>One or more <c>|filter(args)</c>; <paramref name="node"/> is null for filter and set blocks.</summary>
    private FilterExpr? ParseFilters(Expr? node, bool startInline) => ParseFilters(node, startInline, out _);

    /// <summary>As above, also returning the last node built, which folding may have turned into a constant.</summary>
    private FilterExpr? ParseFilters(Expr? node, bool startInline, out Expr? last)
    {
        FilterExpr? result = null;
        while (Current.Kind == TokenKind.Pipe || startInline)
        {
            if (!startInline)
            {
                Next();
            }

            var line = Current.Line;
            var name = ParseDottedName();
            var arguments = Current.Kind == TokenKind.LParen ? ParseCallArguments() : ArgumentList.None;
            var filter = Filters.Find(name);
            if (filter is null)
            {
                _unknown.Add(new UnknownReference("filter", name, line, _softFrame));
            }

            result = new FilterExpr(line, node, name, filter, arguments);
            node = node is null ? result : Fold(result);
            startInline = false;
        }

        last = node;
        return result;
    }

    private Expr ParseTest(Expr node)
    {
        var line = Next().Line;
        var negated = SkipIfName("not");
        var name = ParseDottedName();
        ArgumentList arguments;
        if (Current.Kind == TokenKind.LParen)
        {
            arguments = ParseCallArguments();
        }
        else if (Current.Kind is TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float or TokenKind.LBracket or TokenKind.LBrace
                 && !Current.IsName("else") && !Current.IsName("or") && !Current.IsName("and"))
        {
            if (Current.IsName("is"))
            {
                throw Fail("You cannot chain multiple tests with is");
            }

            var argument = ParsePostfix(ParsePrimary());
            arguments = new ArgumentList([argument], [], [], null, null);
        }
        else
        {
            arguments = ArgumentList.None;
        }

        var test = Tests.Find(name);
        if (test is null)
        {
            _unknown.Add(new UnknownReference("test", name, line, _softFrame));
        }

        Expr result = new TestExpr(line, node, name, test, arguments);
        return negated ? Fold(new NotExpr(line, Fold(result))) : Fold(result);
    }
}
