using AbstractEndpoint.Host.Configuration;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Hub;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>
/// Turns <c>--model</c> (a path, or a Hugging Face repo id) into a local GGUF path, downloading into the shared
/// Hugging Face cache when needed, with a progress bar on stderr.
/// </summary>
internal static class ModelPathResolver
{
    public static async Task<string> ResolveAsync(EndpointOptions options, CancellationToken cancellationToken)
    {
        var reference = ModelReference.Parse(options.Model, options.HfFile);
        try
        {
            var resolved = await ModelLocator.ResolveAsync(
                reference, HubOptions.FromEnvironment(), DownloadProgressPrinter.ForStandardError(), cancellationToken).ConfigureAwait(false);
            return resolved.Path;
        }
        catch (ModelResolutionException e) when (options.Model == EndpointSettings.Model.Default)
        {
            // Someone who typed no --model may not know a download was attempted at all.
            throw new ModelResolutionException(
                e.Kind,
                $"{e.Message} ({options.Model} is the default model; pass --model PATH.gguf to serve a local file instead.)",
                e);
        }
    }
}
