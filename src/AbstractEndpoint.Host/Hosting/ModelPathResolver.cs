using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>Turns <c>--model</c> into a local GGUF path.</summary>
internal static class ModelPathResolver
{
    public static string Resolve(EndpointOptions options)
    {
        var path = options.Model.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), options.Model[2..])
            : options.Model;
        if (File.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        throw new ModelResolutionFailure($"Model file not found: '{options.Model}'.");
    }
}
