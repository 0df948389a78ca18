using System.CommandLine;
using System.Globalization;
using AbstractEndpoint.Gguf;
using AbstractEndpoint.Gguf.Synthetic;

namespace AbstractEndpoint.Bench.Commands;

/// <summary><c>generate-model</c>: writes a synthetic llama-architecture GGUF of a preset or custom shape.</summary>
internal static class GenerateModelCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset")
        {
            Description = $"Shape preset: {string.Join(", ", SyntheticModelShape.Presets.Select(p => p.Name))}",
            DefaultValueFactory = _ => SyntheticModelShape.Tiny.Name,
        };
        var type = new Option<string>("--type")
        {
            Description = "Weight type: f32, f16 or q8_0",
            DefaultValueFactory = _ => "q8_0",
        };
        var vocabFrom = new Option<FileInfo?>("--vocab-from")
        {
            Description = "GGUF whose tokenizer.* keys to copy (default: the built-in tiny vocabulary)",
        };
        var output = new Option<FileInfo>("--out") { Description = "Output .gguf path", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Weight seed", DefaultValueFactory = _ => 42 };
        var context = new Option<int?>("--ctx") { Description = "Override llama.context_length" };
        var chatTemplate = new Option<string>("--chat-template")
        {
            Description = "chatml (default), keep (the donor's, if any), none, or @path to a Jinja file",
            DefaultValueFactory = _ => "chatml",
        };
        var fim = new Option<bool>("--fim")
        {
            Description = "Append fill-in-the-middle control tokens (<|fim_prefix|>, <|fim_suffix|>, <|fim_middle|>) to the vocabulary",
        };
        var bert = new Option<string?>("--bert")
        {
            Description = "Write a bert embedding model (encoder only, no generation) of the shape instead, pooled mean or cls",
        };
        var name = new Option<string?>("--name") { Description = "general.name (default synthetic-<preset>)" };
        var embedding = new Option<int?>("--embd") { Description = "Custom shape: n_embd" };
        var layers = new Option<int?>("--layers") { Description = "Custom shape: number of blocks" };
        var heads = new Option<int?>("--heads") { Description = "Custom shape: attention heads" };
        var kvHeads = new Option<int?>("--kv-heads") { Description = "Custom shape: KV heads" };
        var feedForward = new Option<int?>("--ff") { Description = "Custom shape: n_ff" };

        var command = new Command("generate-model", "Write a synthetic GGUF model with seeded random weights")
        {
            preset, type, vocabFrom, output, seed, context, chatTemplate, fim, bert, name, embedding, layers, heads, kvHeads,
            feedForward,
        };
        command.SetAction(CommandAction.Guarded(parse =>
        {
            var basis = SyntheticModelShape.FromPreset(parse.GetValue(preset)!);
            var shape = basis with
            {
                EmbeddingLength = parse.GetValue(embedding) ?? basis.EmbeddingLength,
                BlockCount = parse.GetValue(layers) ?? basis.BlockCount,
                HeadCount = parse.GetValue(heads) ?? basis.HeadCount,
                HeadCountKv = parse.GetValue(kvHeads) ?? basis.HeadCountKv,
                FeedForwardLength = parse.GetValue(feedForward) ?? basis.FeedForwardLength,
            };
            if (shape != basis)
            {
                shape = shape with { Name = basis.Name + "-custom" };
            }

            var donor = parse.GetValue(vocabFrom);
            var options = new SyntheticModelOptions
            {
                Shape = shape,
                TensorType = ParseType(parse.GetValue(type)!),
                Seed = parse.GetValue(seed),
                Vocabulary = donor is null ? null : GgufVocabulary.FromFile(donor.FullName),
                ChatTemplate = ResolveChatTemplate(parse.GetValue(chatTemplate)!),
                FillInTheMiddle = parse.GetValue(fim),
                ContextLength = parse.GetValue(context),
                ModelName = parse.GetValue(name),
            };

            var destination = parse.GetValue(output)!;
            destination.Directory?.Create();
            if (parse.GetValue(bert) is { } pooling)
            {
                var size = SyntheticBertModel.Write(destination.FullName, options, ParsePooling(pooling));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {destination.FullName}: {size:N0} bytes, a bert embedding model pooled {pooling}"));
                return 0;
            }

            var summary = SyntheticModel.Write(destination.FullName, options);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"wrote {summary.Path}: {summary.FileSize:N0} bytes, {summary.ParameterCount:N0} parameters, " +
                $"{summary.TensorCount} tensors, vocabulary {summary.VocabularySize:N0}, " +
                $"{summary.Elapsed.TotalSeconds:F2} s ({summary.FileSize / 1e6 / summary.Elapsed.TotalSeconds:F0} MB/s)"));
            return 0;
        }));
        return command;
    }

    private static GgmlType ParseType(string text) => text.ToUpperInvariant() switch
    {
        "F32" => GgmlType.F32,
        "F16" => GgmlType.F16,
        "Q8_0" or "Q8" => GgmlType.Q8_0,
        _ => throw new ArgumentException($"--type must be f32, f16 or q8_0, not '{text}'"),
    };

    private static BertPooling ParsePooling(string text) => text.ToLowerInvariant() switch
    {
        "mean" => BertPooling.Mean,
        "cls" => BertPooling.Cls,
        _ => throw new ArgumentException($"--bert must be mean or cls, not '{text}'"),
    };

    private static string? ResolveChatTemplate(string choice) => choice switch
    {
        "chatml" => ChatTemplates.ChatMl,
        "keep" => null,
        "none" => string.Empty,
        _ when choice.StartsWith('@') => File.ReadAllText(choice[1..]),
        _ => throw new ArgumentException($"--chat-template must be chatml, keep, none or @file, not '{choice}'"),
    };
}
