using AbstractEndpoint.StructuredOutput.Gbnf;

namespace AbstractEndpoint.StructuredOutput.Schema;

/// <summary>
/// Grammars for the string formats worth constraining. Each is a subset of the format, chosen so every string it
/// admits validates: dates respect month lengths (29 February is left out rather than modelling leap years),
/// times carry an RFC 3339 offset (at most ±14:00), years start at 1000, e-mail addresses are plain dot-atoms. Other formats are annotations only.
/// </summary>
internal static class StringFormats
{
    public static bool IsSupported(string format) => format is "date" or "time" or "date-time" or "uuid" or "email";

    /// <summary>The rule name for the complete quoted string of that format.</summary>
    public static string Rule(GbnfBuilder b, string format) => format switch
    {
        "date" => b.Shared("date-string", x => Quoted(Date(x))),
        "time" => b.Shared("time-string", x => Quoted(Time(x))),
        "date-time" => b.Shared("date-time-string", x => Quoted(Date(x) + " \"T\" " + Time(x))),
        "uuid" => b.Shared("uuid-string", _ => Quoted(
            "[0-9a-f]{8} \"-\" [0-9a-f]{4} \"-\" [0-9a-f]{4} \"-\" [0-9a-f]{4} \"-\" [0-9a-f]{12}")),
        "email" => b.Shared("email-string", _ => Quoted(
            "[a-zA-Z0-9] ( [a-zA-Z0-9_+\\x2D]{0,30} [a-zA-Z0-9] )? ( \".\" [a-zA-Z0-9] ( [a-zA-Z0-9_+\\x2D]{0,30} [a-zA-Z0-9] )? ){0,3} \"@\" "
            + "( [a-zA-Z0-9] [a-zA-Z0-9\\x2D]{0,30} [a-zA-Z0-9] \".\" | [a-zA-Z0-9] \".\" ){1,4} [a-zA-Z]{2,12}")),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unsupported format"),
    };

    private static string Quoted(string inner) => "\"\\\"\" " + GbnfExpr.Group(inner) + " \"\\\"\"";

    private static string Date(GbnfBuilder b) => b.Shared("date", _ =>
        "[1-9] [0-9]{3} \"-\" ( ( \"0\" [13578] | \"1\" [02] ) \"-\" ( \"0\" [1-9] | [12] [0-9] | \"3\" [01] )"
        + " | ( \"0\" [469] | \"11\" ) \"-\" ( \"0\" [1-9] | [12] [0-9] | \"30\" )"
        + " | \"02\" \"-\" ( \"0\" [1-9] | \"1\" [0-9] | \"2\" [0-8] ) )");

    private static string Time(GbnfBuilder b) => b.Shared("time", _ =>
        "( [01] [0-9] | \"2\" [0-3] ) \":\" [0-5] [0-9] \":\" [0-5] [0-9] ( \".\" [0-9]{1,6} )?"
        + " ( \"Z\" | [+\\x2D] ( ( \"0\" [0-9] | \"1\" [0-3] ) \":\" [0-5] [0-9] | \"14:00\" ) )");
}
