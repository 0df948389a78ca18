namespace AbstractEndpoint.Jinja.Lexing;

/// <summary>One lexical token. <see cref="Text"/> is the name, string value or template data; <see cref="Value"/> a number.</summary>
internal readonly record struct Token(TokenKind Kind, int Line, string Text, object? Value = null)
{
    public bool IsName(string name) => Kind == TokenKind.Name && Text == name;

    /// <summary>How Jinja2 names the token in syntax error messages.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.Name => Text,
        _ => DescribeKind(Kind),
    };

    public static string DescribeKind(TokenKind kind) => kind switch
    {
        TokenKind.Data => "template data / text",
        TokenKind.VariableBegin => "begin of print statement",
        TokenKind.VariableEnd => "end of print statement",
        TokenKind.BlockBegin => "begin of statement block",
        TokenKind.BlockEnd => "end of statement block",
        TokenKind.Name => "name",
        TokenKind.String => "string",
        TokenKind.Integer => "integer",
        TokenKind.Float => "float",
        TokenKind.Add => "+",
        TokenKind.Sub => "-",
        TokenKind.Div => "/",
        TokenKind.FloorDiv => "//",
        TokenKind.Mul => "*",
        TokenKind.Mod => "%",
        TokenKind.Pow => "**",
        TokenKind.Tilde => "~",
        TokenKind.LBracket => "[",
        TokenKind.RBracket => "]",
        TokenKind.LParen => "(",
        TokenKind.RParen => ")",
        TokenKind.LBrace => "{",
        TokenKind.RBrace => "}",
        TokenKind.Eq => "==",
        TokenKind.Ne => "!=",
        TokenKind.Gt => ">",
        TokenKind.GtEq => ">=",
        TokenKind.Lt => "<",
        TokenKind.LtEq => "<=",
        TokenKind.Assign => "=",
        TokenKind.Dot => ".",
        TokenKind.Colon => ":",
        TokenKind.Pipe => "|",
        TokenKind.Comma => ",",
        TokenKind.Semicolon => ";",
        _ => "end of template",
    };
}
