using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.StructuredOutput.Formats;
using AbstractEndpoint.StructuredOutput.Gbnf;
using AbstractEndpoint.StructuredOutput.Schema;

namespace AbstractEndpoint.StructuredOutput.Tools;

/// <summary>Shared pieces for writing one format's call grammar: argument rules per tool and JSON/XML call shapes.</summary>
internal sealed class ToolGrammarContext(GbnfBuilder builder)
{
    private static readonly JsonObject AnyObject = new() { ["type"] = "object" };

    public GbnfBuilder B { get; } = builder;

    public string Ws => JsonPrimitives.Ws(B);

    public static string Lit(string text) => GbnfText.Literal(text);

    /// <summary>The rule for a tool's arguments object (any object when the tool has no schema).</summary>
    public string Arguments(ToolDefinition tool)
    {
        try
        {
            return SchemaConverter.AddDocument(B, tool.Parameters ?? AnyObject.DeepClone(), RuleName(tool) + "-args");
        }
        catch (SchemaConversionException ex)
        {
            throw new SchemaConversionException("Tool '" + tool.Name + "' parameters: " + ex.Message, ex);
        }
    }

    /// <summary><c>{"name": "NAME", "arguments": ARGS}</c> with the given key spellings, plus optional leading members.</summary>
    public string JsonCall(ToolDefinition tool, string nameKey, string argsKey, string? leading = null) => GbnfExpr.Seq(
        Lit("{"), Ws,
        leading ?? string.Empty,
        Lit(SchemaKeywords.ToJsonString(nameKey)), Ws, Lit(":"), Ws, Lit(SchemaKeywords.ToJsonString(tool.Name)), Ws, Lit(","), Ws,
        Lit(SchemaKeywords.ToJsonString(argsKey)), Ws, Lit(":"), Ws, Arguments(tool), Ws,
        Lit("}"));

    /// <summary>One item, or (parallel) one or more separated by <paramref name="separator"/>.</summary>
    public static string List(string item, bool parallel, string separator) =>
        parallel ? GbnfExpr.Seq(item, GbnfExpr.Star(GbnfExpr.Seq(separator, item))) : item;

    /// <summary>A rule choosing between the tools' calls.</summary>
    public string AnyCall(IReadOnlyList<ToolDefinition> tools, Func<ToolDefinition, string> call) =>
        B.Add("call", GbnfExpr.Alt(tools.Select(t => B.Add(RuleName(t) + "-call", call(t)))));

    /// <summary>
    /// XML-style parameters in schema order (optional ones may be left out): string parameters are raw text up to
    /// the closing tag (enum and length enforced; pattern and format are not), everything else is JSON for the
    /// parameter's schema.
    /// </summary>
    public string XmlParameters(ToolDefinition tool, Func<string, string, string> parameter, string valueClose)
    {
        var schema = tool.Parameters as JsonObject;
        var properties = schema?["properties"] as JsonObject;
        if (properties is null || properties.Count == 0)
        {
            return string.Empty;
        }

        var required = (schema!["required"] as JsonArray)?
            .Select(r => r is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null)
            .ToHashSet() ?? [];
        var items = new List<(string Expr, bool Required)>();
        foreach (var (key, propSchema) in properties)
        {
            var valueName = RuleName(tool) + "-" + key;
            string value;
            try
            {
                value = IsRawString(propSchema, out var choices, out var minLength, out var maxLength)
                    ? RawString(choices, minLength, maxLength, valueClose, valueName)
                    : SchemaConverter.AddSubschema(B, tool.Parameters, propSchema, valueName, "#/properties/" + SchemaKeywords.Escape(key));
            }
            catch (SchemaConversionException ex)
            {
                throw new SchemaConversionException("Tool '" + tool.Name + "' parameter '" + key + "': " + ex.Message, ex);
            }

            items.Add((parameter(key, value), required.Contains(key)));
        }

        return OptionalSequence.Build(B, items, string.Empty, null, RuleName(tool) + "-params");
    }

    /// <summary>Free text that cannot contain <paramref name="delimiter"/>.</summary>
    public string Until(string delimiter, string name) => GbnfUntil.Build(B, delimiter, name);

    /// <summary>
    /// What may come before the calls in a non-lazy grammar: the reasoning block (optional, or already open when
    /// the prompt ended inside it), so forcing a call does not forbid thinking first.
    /// </summary>
    public string ReasoningPrefix(ToolCallFamily syntax, bool startsInReasoning)
    {
        var tags = syntax.Reasoning;
        if (tags?.Open is null)
        {
            return string.Empty;
        }

        // Models put a blank line or two after the closing tag: allow a little more than the JSON whitespace rule.
        var body = GbnfExpr.Seq(Until(tags.Close, "reasoning"), Lit(tags.Close), "[ \\t\\n]{0,4}");
        return startsInReasoning ? body : GbnfExpr.Opt(GbnfExpr.Seq(Lit(tags.Open), body));
    }

    public static string RuleName(ToolDefinition tool) => "tool-" + GbnfBuilder.Sanitize(tool.Name);

    // Raw text: an enum's values, a bounded run without '<' (so no closing tag can appear) when a length is given,
    // otherwise anything up to the closing tag.
    private string RawString(List<string>? choices, int? minLength, int? maxLength, string valueClose, string name)
    {
        if (choices is not null)
        {
            return GbnfExpr.Alt(choices.Select(Lit));
        }

        if (minLength is null && maxLength is null)
        {
            return GbnfUntil.Build(B, valueClose, name + "-text");
        }

        var max = maxLength > SchemaConverter.MaxCountedRepetition ? null : maxLength;
        return GbnfExpr.Repeat("[^<]", Math.Min(minLength ?? 0, SchemaConverter.MaxCountedRepetition), max);
    }

    private static bool IsRawString(JsonNode? schema, out List<string>? choices, out int? minLength, out int? maxLength)
    {
        choices = null;
        minLength = null;
        maxLength = null;
        if (schema is not JsonObject o)
        {
            return false;
        }

        minLength = SchemaKeywords.Count(o, "minLength", "#");
        maxLength = SchemaKeywords.Count(o, "maxLength", "#");

        if (o["enum"] is JsonArray e && e.Count > 0 && e.All(v => v?.GetValueKind() == JsonValueKind.String))
        {
            choices = e.Select(v => v!.GetValue<string>()).ToList();
            return true;
        }

        return o["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String && t.GetValue<string>() == "string";
    }
}
