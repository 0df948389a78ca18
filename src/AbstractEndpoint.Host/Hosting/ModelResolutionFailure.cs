namespace AbstractEndpoint.Host.Hosting;

/// <summary>The <c>--model</c> value does not name a usable model; the message says what to do.</summary>
internal sealed class ModelResolutionFailure(string message, Exception? inner = null) : Exception(message, inner);
