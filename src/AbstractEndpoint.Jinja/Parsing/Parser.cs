using AbstractEndpoint.Jinja.Lexing;
using AbstractEndpoint.Jinja.Syntax;

namespace AbstractEndpoint.Jinja.Parsing;

/// <summary>
/// Recursive-descent parser mirroring Jinja2's own (same precedence, same quirks: <c>~</c> binds tighter than
/// <c>+</c>, filters bind to the unary operand, <c>-2 ** 2</c> is 4). Statement parsing lives in
/// Parser.Statements.cs, expressions in Parser.Expressions.cs. Nesting is bounded so hostile input cannot
/// overflow the stack.
/// </summary>
internal sealed partial class Parser
{
    private readonly List<Token> _tokens;
    private readonly int _maxDepth;
    private readonly List<string> _tagStack = [];
    private readonly List<string[]> _endTokenStack = [];
    private readonly List<UnknownReference> _unknown = [];
    private readonly List<MacroFeatures> _macroFeatures = [];
    private readonly ConstantFolder _folder;
    private int _position;
    private int _depth;
    private int _loopDepth;
    private bool _softFrame;

    private Parser(List<Token> tokens, JinjaOptions options)
    {
        _tokens = tokens;
        _maxDepth = options.MaxRecursionDepth;
        _folder = new ConstantFolder(options);
    }

    public static (Stmt[] Body, string[] RootMissingNames) Parse(string source, JinjaOptions options)
    {
        var tokens = Lexer.Tokenize(source, options.TrimBlocks, options.LstripBlocks, options.KeepTrailingNewline);
        var parser = new Parser(tokens, options);
        var body = parser.Subparse(null);
        foreach (var reference in parser._unknown)
        {
            if (!reference.Soft)
            {
                throw new JinjaSyntaxException($"No {reference.Kind} named '{reference.Name}'.", reference.Line);
            }
        }

        return (body, ScopeAnalyzer.Analyze(body));
    }

    private Token Current => _tokens[_position];

    private Token Look => _position + 1 < _tokens.Count ? _tokens[_position + 1] : _tokens[^1];

    private Token Next()
    {
        var token = _tokens[_position];
        if (_position < _tokens.Count - 1)
        {
            _position++;
        }

        return token;
    }

    private bool SkipIf(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }

        Next();
        return true;
    }

    private bool SkipIfName(string name)
    {
        if (!Current.IsName(name))
        {
            return false;
        }

        Next();
        return true;
    }

    private Token Expect(TokenKind kind) => Current.Kind == kind ? Next() : throw ExpectedError(Token.DescribeKind(kind));

    private Token ExpectName(string name) => Current.IsName(name) ? Next() : throw ExpectedError(name);

    private JinjaSyntaxException ExpectedError(string expected)
    {
        if (Current.Kind == TokenKind.Eof)
        {
            return Fail($"unexpected end of template, expected '{expected}'.");
        }

        return Fail($"expected token '{expected}', got '{Current.Describe()}'");
    }

    private Expr Fold(Expr node) => _folder.Fold(node);

    private JinjaSyntaxException Fail(string message, int? line = null) => new(message, line ?? Current.Line);

    private void EnterNesting()
    {
        if (++_depth > _maxDepth)
        {
            throw new JinjaLimitException($"template nesting exceeds the maximum depth of {_maxDepth}");
        }
    }

    private void ExitNesting() => _depth--;

    /// <summary>Records a reference to a special macro name in every macro body being parsed.</summary>
    private void NoteName(string name)
    {
        var feature = name switch
        {
            "caller" => MacroFeatures.Caller,
            "kwargs" => MacroFeatures.Kwargs,
            "varargs" => MacroFeatures.Varargs,
            _ => MacroFeatures.None,
        };
        if (feature == MacroFeatures.None)
        {
            return;
        }

        for (var i = 0; i < _macroFeatures.Count; i++)
        {
            _macroFeatures[i] |= feature;
        }
    }
}
