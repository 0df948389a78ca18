using AbstractEndpoint.StructuredOutput.Gbnf;

namespace AbstractEndpoint.StructuredOutput.Schema;

/// <summary>
/// The shared building blocks of JSON grammars. Whitespace is deliberately bounded (one space, or one newline plus at
/// most 20 indentation characters) so a constrained model cannot pad forever between tokens.
/// </summary>
internal static class JsonPrimitives
{
    public static string Ws(GbnfBuilder b) => b.Shared("ws", _ => "( \" \" | \"\\n\" [ \\t]{0,20} )?");

    /// <summary>
    /// One JSON string character: anything but quote, backslash and control characters, or an escape. \u escapes
    /// exclude the surrogate range, so a model cannot produce a lone surrogate (invalid text downstream).
    /// </summary>
    public static string Char(GbnfBuilder b) => b.Shared("char", _ =>
        GbnfText.CharClass([('"', '"'), ('\\', '\\'), (0x00, 0x1F), (0x7F, 0x7F)], negated: true)
        + " | \"\\\\\" ( [\"\\\\/bfnrt] | \"u\" ( [0-9a-cA-CeEfF] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2} ) )");

    public static string String(GbnfBuilder b) => b.Shared("string", x => "\"\\\"\" " + Char(x) + "* \"\\\"\"");

    public static string Integer(GbnfBuilder b) => b.Shared("integer", _ => "\"-\"? ( \"0\" | [1-9] [0-9]{0,15} )");

    public static string Number(GbnfBuilder b) => b.Shared("number", x =>
        Integer(x) + " ( \".\" [0-9]{1,16} )? ( [eE] [-+]? [0-9]{1,3} )?");

    public static string Boolean(GbnfBuilder b) => b.Shared("boolean", _ => "\"true\" | \"false\"");

    public static string Null(GbnfBuilder b) => b.Shared("null", _ => "\"null\"");

    /// <summary>Any JSON value (the empty schema).</summary>
    public static string Value(GbnfBuilder b) => b.Shared("value", x =>
    {
        // Reserve the container rules first: they refer back to "value".
        var obj = x.Shared("object", y => ObjectBody(y));
        var arr = x.Shared("array", y => ArrayBody(y));
        return GbnfExpr.Alt(obj, arr, String(x), Number(x), Boolean(x), Null(x));
    });

    /// <summary>Any JSON object (json_object response mode).</summary>
    public static string Object(GbnfBuilder b)
    {
        Value(b);
        return b.Shared("object", ObjectBody);
    }

    private static string ObjectBody(GbnfBuilder b)
    {
        var ws = Ws(b);
        var member = String(b) + " \":\" " + ws + " " + Value(b) + " " + ws;
        return "\"{\" " + ws + " ( " + member + " ( \",\" " + ws + " " + member + " )* )? \"}\"";
    }

    private static string ArrayBody(GbnfBuilder b)
    {
        var ws = Ws(b);
        var item = Value(b) + " " + ws;
        return "\"[\" " + ws + " ( " + item + " ( \",\" " + ws + " " + item + " )* )? \"]\"";
    }
}
