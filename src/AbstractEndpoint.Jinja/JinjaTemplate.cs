using AbstractEndpoint.Jinja.Parsing;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Syntax;

namespace AbstractEndpoint.Jinja;

/// <summary>
/// A parsed Jinja2 template that renders exactly as Python Jinja2 does in Hugging Face transformers'
/// chat-template environment. Parse once (the result is immutable) and render many times, from any number of
/// threads at once; each render has its own state and limits.
/// </summary>
/// <example>
/// <code>
/// var template = JinjaTemplate.Parse(chatTemplateSource);
/// var prompt = template.Render(new Dictionary&lt;string, object?&gt;
/// {
///     ["messages"] = messagesJsonNode,
///     ["add_generation_prompt"] = true,
///     ["bos_token"] = "&lt;s&gt;",
/// });
/// </code>
/// </example>
public sealed class JinjaTemplate
{
    private readonly Stmt[] _body;
    private readonly string[] _rootMissingNames;

    private JinjaTemplate((Stmt[] Body, string[] RootMissingNames) parsed, JinjaOptions options)
    {
        _body = parsed.Body;
        _rootMissingNames = parsed.RootMissingNames;
        Options = options;
    }

    /// <summary>The options the template was parsed with; they also govern its renders.</summary>
    public JinjaOptions Options { get; }

    /// <summary>Parses template source.</summary>
    /// <param name="source">The Jinja2 template text (for example a GGUF file's <c>tokenizer.chat_template</c>).</param>
    /// <param name="options">Whitespace handling and limits; <see cref="JinjaOptions.Default"/> when null.</param>
    /// <exception cref="JinjaSyntaxException">The source is not a valid template (the line is reported).</exception>
    /// <exception cref="JinjaLimitException">The source nests deeper than <see cref="JinjaOptions.MaxRecursionDepth"/>.</exception>
    public static JinjaTemplate Parse(string source, JinjaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= JinjaOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxLoopIterations, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxOutputLength, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxAllocatedLength, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxRecursionDepth, nameof(options));
        ArgumentNullException.ThrowIfNull(options.Clock, nameof(options));
        try
        {
            return new JinjaTemplate(Parser.Parse(source, options), options);
        }
        catch (JinjaException)
        {
            throw;
        }
        catch (InsufficientExecutionStackException e)
        {
            throw new JinjaLimitException("template nesting exhausted the stack", e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new JinjaSyntaxException($"internal error while parsing: {e.Message}", 0);
        }
    }

    /// <summary>Renders the template with the given variables.</summary>
    /// <param name="context">
    /// Template variables. Values may be null, bool, string, int, long, double, decimal, dictionaries
    /// (<see cref="IReadOnlyDictionary{TKey,TValue}"/> or <see cref="IDictionary{TKey,TValue}"/> with string keys; order
    /// is kept), other enumerables (lists), and System.Text.Json <c>JsonNode</c>/<c>JsonElement</c> values.
    /// </param>
    /// <returns>The rendered text.</returns>
    /// <exception cref="JinjaRenderException">
    /// The template raised (<c>raise_exception</c>) or failed as Jinja2 would (an engine defect is reported as
    /// <c>ErrorType</c> "InternalError").
    /// </exception>
    /// <exception cref="JinjaLimitException">A limit in <see cref="Options"/> was exceeded.</exception>
    /// <exception cref="ArgumentException">A context value has a type templates cannot see.</exception>
    public string Render(IReadOnlyDictionary<string, object?> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var session = new RenderSession(Options, ContextConverter.ConvertContext(context));
        try
        {
            Stmt.ExecuteBody(_body, Scope.ForFrame(session, null, _rootMissingNames));
        }
        catch (JinjaRenderException e)
        {
            if (e.Line == 0)
            {
                e.Line = session.CurrentLine;
            }

            throw;
        }
        catch (JinjaException)
        {
            throw;
        }
        catch (InsufficientExecutionStackException e)
        {
            throw new JinjaLimitException("template recursion exhausted the stack", e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A defect of the engine must still surface as a template failure, never as an unexpected exception type.
            throw new JinjaRenderException($"internal error while rendering: {e.Message}", "InternalError", e) { Line = session.CurrentLine };
        }

        return session.Output.ToString();
    }
}
