using System.CommandLine;
using AbstractEndpoint.Llama;
using Microsoft.Extensions.Logging.Abstractions;

namespace AbstractEndpoint.Bench.Commands;

/// <summary>
/// The options of the commands that load the model into a raw engine of their own (no server): which model, and the
/// threads, context and batch the server would give it.
/// </summary>
internal sealed class RawEngineOptions(int defaultContextSize)
{
    public Option<FileInfo> Model { get; } = new("--model") { Description = "GGUF model file", Required = true };

    public Option<int> Threads { get; } = new("--threads") { Description = "CPU threads", DefaultValueFactory = _ => Environment.ProcessorCount };

    public Option<int> ContextSize { get; } = new("--ctx-size") { Description = "Context size", DefaultValueFactory = _ => defaultContextSize };

    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Batch size", DefaultValueFactory = _ => 512 };

    /// <summary>Adds the four options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Threads);
        command.Options.Add(ContextSize);
        command.Options.Add(BatchSize);
    }

    /// <summary>The model file's name and the threads, for a report's first line.</summary>
    public string Describe(ParseResult parse) => $"{parse.GetValue(Model)!.Name}, {parse.GetValue(Threads)} threads";

    /// <summary>Loads the runtime with <paramref name="parallel"/> sequences.</summary>
    public LlamaRuntime Load(ParseResult parse, int parallel, bool? flashAttention = null) => LlamaRuntime.Load(
        new LlamaRuntimeOptions
        {
            ModelPath = parse.GetValue(Model)!.FullName,
            Threads = parse.GetValue(Threads),
            ContextSize = parse.GetValue(ContextSize),
            BatchSize = parse.GetValue(BatchSize),
            FlashAttention = flashAttention,
            Parallel = parallel,
        },
        NullLogger.Instance);
}
