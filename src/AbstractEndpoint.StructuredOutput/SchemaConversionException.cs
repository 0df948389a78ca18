namespace AbstractEndpoint.StructuredOutput;

/// <summary>
/// A JSON Schema could not be turned into a grammar: it is invalid, unsatisfiable, or uses a construct the converter
/// does not support. The message names the construct and <see cref="SchemaPath"/> says where it is, so the server
/// can return it as a 400 that points at the offending parameter.
/// </summary>
public sealed class SchemaConversionException : Exception
{
    public SchemaConversionException()
        : this("The schema cannot be converted to a grammar.")
    {
    }

    public SchemaConversionException(string message)
        : base(message)
    {
        SchemaPath = "#";
    }

    public SchemaConversionException(string message, Exception innerException)
        : base(message, innerException)
    {
        SchemaPath = "#";
    }

    public SchemaConversionException(string message, string schemaPath)
        : base(schemaPath == "#" ? message : message + " (at " + schemaPath + ")")
    {
        SchemaPath = schemaPath;
    }

    /// <summary>JSON-Pointer-like location of the problem inside the schema (<c>#</c> is the root).</summary>
    public string SchemaPath { get; }
}
