using AbstractEndpoint.StructuredOutput;

namespace AbstractEndpoint.Llama.Tests;

/// <summary>Why a grammar llama.cpp refused does not parse: the reason the client gets in its 400.</summary>
public sealed class GbnfExplainerTests
{
    [Theory]
    [InlineData("root ::= (\"a\"", "expecting ')'")]
    [InlineData("root ::= missing", "undefined rule identifier 'missing'")]
    [InlineData("root = \"a\"", "expecting '::='")]
    [InlineData("root ::= \"abc", "unterminated string literal")]
    [InlineData("root ::= [a-", "unterminated character class")]
    [InlineData("root ::= * \"a\"", "'*' has no preceding item")]
    [InlineData("root ::= \"a\"{3", "expecting '}'")]
    [InlineData("root ::= \"a\"{1,5000}", "more than 2000 repetitions")]
    [InlineData("root ::= \"\\q\"", "unknown escape '\\q'")]
    [InlineData("other ::= \"a\"", "no 'root' rule")]
    [InlineData("root ::= \"a\" )", "expecting a newline or the end")]
    public void Names_the_first_problem(string gbnf, string expected)
    {
        var reason = GbnfExplainer.Explain(gbnf);

        Assert.NotNull(reason);
        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Gives_the_line_and_column()
    {
        Assert.Contains("line 2, column 13", GbnfExplainer.Explain("root ::= a\na ::= \"x\" | (\"y\""), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("root ::= \"yes\" | \"no\"")]
    [InlineData("root ::= item+ # comment\nitem ::= [a-z\\u00e9] | \"\\x41\" | ( \"(\" item? \")\" ){0,3}\n")]
    [InlineData("root   ::=   [^\"\\\\]*   .\r\n")]
    public void Finds_nothing_wrong_with_valid_grammars(string gbnf)
    {
        Assert.Null(GbnfExplainer.Explain(gbnf));
    }

    [Fact]
    public void Finds_nothing_wrong_with_the_json_grammar_we_generate()
    {
        Assert.Null(GbnfExplainer.Explain(JsonSchemaGrammar.AnyJsonObject));
    }
}
