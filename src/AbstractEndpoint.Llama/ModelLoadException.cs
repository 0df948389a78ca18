namespace AbstractEndpoint.Llama;

/// <summary>The model could not be loaded; the message says why in words a user can act on.</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner);
