using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.StructuredOutput.Tests.Tools;

public sealed class ToolCallFormatDetectorTests
{
    /// <summary>Every real template in shared/templates and the format its tool-call markup belongs to.</summary>
    private static readonly Dictionary<string, ToolCallFormat> Expected = new(StringComparer.Ordinal)
    {
        ["CohereForAI-c4ai-command-r-plus-tool_use"] = ToolCallFormat.CommandR,
        ["CohereForAI-c4ai-command-r7b-12-2024-tool_use"] = ToolCallFormat.CommandR7B,
        ["GLM-4.6"] = ToolCallFormat.Glm45,
        ["HuggingFaceTB-SmolLM3-3B"] = ToolCallFormat.Generic,
        ["Kimi-K2-Thinking"] = ToolCallFormat.KimiK2,
        ["LFM2-8B-A1B"] = ToolCallFormat.Generic,
        ["MiMo-VL"] = ToolCallFormat.Hermes,
        ["Mistral-Small-3.2-24B-Instruct-2506"] = ToolCallFormat.Mistral,
        ["NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use"] = ToolCallFormat.Hermes,
        ["NousResearch-Hermes-3-Llama-3.1-8B-tool_use"] = ToolCallFormat.Hermes,
        ["Qwen-QwQ-32B"] = ToolCallFormat.Hermes,
        ["Qwen-Qwen2.5-7B-Instruct"] = ToolCallFormat.Hermes,
        ["Qwen-Qwen3-0.6B"] = ToolCallFormat.Hermes,
        ["deepseek-ai-DeepSeek-R1-Distill-Llama-8B"] = ToolCallFormat.DeepSeekR1,
        ["deepseek-ai-DeepSeek-R1-Distill-Qwen-32B"] = ToolCallFormat.DeepSeekR1,
        ["deepseek-ai-DeepSeek-V3.1"] = ToolCallFormat.DeepSeekV31,
        ["fireworks-ai-llama-3-firefunction-v2"] = ToolCallFormat.FireFunctionV2,
        ["google-gemma-2-2b-it"] = ToolCallFormat.Generic,
        ["ibm-granite-granite-3.3-2B-Instruct"] = ToolCallFormat.Granite,
        ["llama-cpp-deepseek-r1"] = ToolCallFormat.DeepSeekR1,
        ["meetkai-functionary-medium-v3.1"] = ToolCallFormat.FunctionaryV31,
        ["meetkai-functionary-medium-v3.2"] = ToolCallFormat.FunctionaryV32,
        ["meta-llama-Llama-3.1-8B-Instruct"] = ToolCallFormat.Llama3Json,
        ["meta-llama-Llama-3.2-3B-Instruct"] = ToolCallFormat.Llama3Json,
        ["microsoft-Phi-3.5-mini-instruct"] = ToolCallFormat.Generic,
        ["mistralai-Ministral-3-14B-Reasoning-2512"] = ToolCallFormat.Mistral,
        ["mistralai-Mistral-Nemo-Instruct-2407"] = ToolCallFormat.MistralNemo,
        ["moonshotai-Kimi-K2"] = ToolCallFormat.KimiK2,
        ["openai-gpt-oss-120b"] = ToolCallFormat.GptOss,
        ["unsloth-mistral-Devstral-Small-2507"] = ToolCallFormat.Mistral,
    };

    public static TheoryData<string> TemplateNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Expected.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(TemplateNames))]
    public void Real_template_is_detected(string name)
    {
        Skip.If(SharedAssets.File("templates") is null, SharedAssets.MissingReason);
        var path = SharedAssets.File("templates", name + ".jinja");
        Skip.If(path is null, name + ".jinja is not in shared/templates");
        Assert.Equal(Expected[name], ToolCallFormatDetector.Detect(File.ReadAllText(path)));
    }

    [SkippableFact]
    public void Every_shared_template_has_an_expectation()
    {
        var dir = SharedAssets.File("templates");
        Skip.If(dir is null, SharedAssets.MissingReason);
        var names = Directory.GetFiles(dir, "*.jinja").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.DoesNotContain(names, n => !Expected.ContainsKey(n!));
    }

    [Theory]
    [InlineData(null, ToolCallFormat.Generic)]
    [InlineData("", ToolCallFormat.Generic)]
    [InlineData("{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}", ToolCallFormat.Generic)]
    [InlineData("<tool_call>\n<function={{ name }}>\n<parameter={{ k }}>", ToolCallFormat.Qwen3Coder)]
    [InlineData("{{ '<function=' + name + '>' }}", ToolCallFormat.FunctionaryV31)]
    [InlineData("[TOOL_CALLS][{{ calls }}]", ToolCallFormat.MistralNemo)]
    public void Synthetic_templates_are_detected(string? template, ToolCallFormat expected) =>
        Assert.Equal(expected, ToolCallFormatDetector.Detect(template));
}
