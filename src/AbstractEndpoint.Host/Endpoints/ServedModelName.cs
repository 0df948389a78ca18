using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>The model-name rule of the OpenAI generation routes.</summary>
internal static class ServedModelName
{
    /// <summary>
    /// Under <c>--strict-model-name</c> another name is a 400; by default (llama-server's rule) one model is served,
    /// whatever the client calls it, and replies name the served id.
    /// </summary>
    public static void Check(ILogger logger, string route, bool strict, string requested, string served)
    {
        if (strict)
        {
            ModelNameCheck.Validate(requested, served);
        }
        else if (!ModelNameCheck.Matches(requested, served))
        {
            RequestLog.OtherModelName(logger, route, requested, served);
        }
    }
}
