using System.Text.Json;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// llama-server's <c>samplers</c>: the order of the sampler chain, as an array of names (<c>["top_k", "temperature"]</c>)
/// or a string of one-letter codes (<c>"kt"</c>). The stages llama-server has and this server does not (DRY, XTC,
/// top-n-sigma, infill) are off by default in llama-server too, so naming them changes nothing and they are skipped.
/// </summary>
public static class SamplerOrderParser
{
    private static readonly Dictionary<string, SamplerStage?> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["penalties"] = SamplerStage.Penalties,
        ["top_k"] = SamplerStage.TopK,
        ["typ_p"] = SamplerStage.TypicalP,
        ["typical_p"] = SamplerStage.TypicalP,
        ["typical"] = SamplerStage.TypicalP,
        ["top_p"] = SamplerStage.TopP,
        ["nucleus"] = SamplerStage.TopP,
        ["min_p"] = SamplerStage.MinP,
        ["temperature"] = SamplerStage.Temperature,
        ["temp"] = SamplerStage.Temperature,
        ["dry"] = null,
        ["xtc"] = null,
        ["top_n_sigma"] = null,
        ["infill"] = null,
    };

    private static readonly Dictionary<char, SamplerStage?> Codes = new()
    {
        ['e'] = SamplerStage.Penalties,
        ['k'] = SamplerStage.TopK,
        ['y'] = SamplerStage.TypicalP,
        ['p'] = SamplerStage.TopP,
        ['m'] = SamplerStage.MinP,
        ['t'] = SamplerStage.Temperature,
        ['d'] = null,
        ['x'] = null,
        ['s'] = null,
        ['i'] = null,
    };

    public static IReadOnlyList<SamplerStage> Parse(JsonElement value)
    {
        var stages = new List<SamplerStage>();
        if (value.ValueKind == JsonValueKind.String)
        {
            foreach (var code in value.GetString()!)
            {
                if (!Codes.TryGetValue(code, out var stage))
                {
                    throw Invalid($"'{code}' is not a sampler code (e k y p m t, or d x s i which are off here)");
                }

                Add(stages, stage);
            }

            return stages;
        }

        JsonFields.RequireKind(value, JsonValueKind.Array, "samplers", "an array of sampler names or a string of sampler codes");
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var name = JsonFields.String(item, $"samplers[{index++}]");
            if (!Names.TryGetValue(name, out var stage))
            {
                throw Invalid($"'{name}' is not a sampler name (penalties, top_k, typ_p, top_p, min_p, temperature; dry, xtc, top_n_sigma and infill are off here)");
            }

            Add(stages, stage);
        }

        return stages;
    }

    private static void Add(List<SamplerStage> stages, SamplerStage? stage)
    {
        if (stage is { } known)
        {
            stages.Add(known);
        }
    }

    private static InvalidRequestException Invalid(string why) => new($"Invalid 'samplers': {why}.", "samplers", "invalid_value");
}
