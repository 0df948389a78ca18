using System.Text;
using System.Text.RegularExpressions;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace AbstractEndpoint.Llama.Tests;

/// <summary>
/// The grammar sampler on the real llama.cpp with stories260K: strict grammars, lazy grammars that wake on a
/// trigger in the text, triggers whose text the grammar refuses, and invalid grammars refused without crashing.
/// </summary>
public sealed class GrammarSamplingTests : IDisposable
{
    private readonly LlamaRuntime? _runtime = SharedAssets.File("models", "stories260K.gguf") is { } path
        ? LlamaRuntime.Load(new LlamaRuntimeOptions { ModelPath = path, ContextSize = 4096, Parallel = 1, Threads = 2 }, NullLogger.Instance)
        : null;

    public void Dispose() => _runtime?.Dispose();

    [SkippableFact]
    public void A_strict_grammar_shapes_the_whole_reply()
    {
        var reply = Generate(new SamplingOptions { Temperature = 0, Grammar = GrammarConstraint.Strict("root ::= \"Hello\" (\" world\"){1,3} \"!\"", "root") }, 50);

        Assert.Matches("^Hello( world){1,3}!$", reply.Text);
        Assert.True(reply.Ended);
    }

    [SkippableFact]
    public void A_lazy_grammar_applies_from_its_trigger_on()
    {
        var free = Generate(new SamplingOptions { Temperature = 0 }, 40).Text;
        var at = free.IndexOf(" was ", StringComparison.Ordinal);
        Skip.If(at < 0, "the greedy story never says ' was '");

        var lazy = new GrammarConstraint("root ::= \" was \" [a-z ]{1,12} \".\"", "root", Lazy: true, ["^[\\s\\S]*?( was )[\\s\\S]*$"]);
        var reply = Generate(new SamplingOptions { Temperature = 0, Grammar = lazy }, 80);

        // Free until the trigger, then the grammar's shape, then the end (the grammar allows nothing more).
        Assert.StartsWith(free[..at], reply.Text, StringComparison.Ordinal);
        Assert.Matches("^" + Regex.Escape(free[..at]) + " was [a-z ]{1,12}\\.$", reply.Text);
        Assert.True(reply.Ended);
    }

    [SkippableFact]
    public void A_trigger_whose_text_the_grammar_refuses_leaves_the_reply_free()
    {
        var free = Generate(new SamplingOptions { Temperature = 0 }, 40).Text;
        Skip.If(!free.Contains(" was ", StringComparison.Ordinal), "the greedy story never says ' was '");

        // The trigger fires on " was ", but the token that completes it carries text this grammar cannot accept.
        var lazy = new GrammarConstraint("root ::= \" was \" \"zzz\"", "root", Lazy: true, ["^[\\s\\S]*?( was )[\\s\\S]*$"]);
        var reply = Generate(new SamplingOptions { Temperature = 0, Grammar = lazy }, 40);

        Assert.Equal(free, reply.Text);
    }

    [SkippableFact]
    public void Invalid_grammars_are_reported_not_fatal()
    {
        var runtime = Require();
        var bad = GrammarConstraint.Strict("root ::= \"a\" | undefined-rule", "root");
        var badTrigger = new GrammarConstraint("root ::= \"a\"", "root", Lazy: true, ["^([unclosed$"]);

        Assert.NotNull(runtime.Vocabulary.ValidateGrammar(bad));
        Assert.Contains("not a valid regular expression", runtime.Vocabulary.ValidateGrammar(badTrigger), StringComparison.Ordinal);
        Assert.Null(runtime.Vocabulary.ValidateGrammar(GrammarConstraint.Strict("root ::= \"a\"", "root")));
        Assert.Throws<InvalidRequestException>(() => runtime.CreateSampler(new SamplingOptions { Grammar = bad }));

        // Still alive and sampling.
        Assert.Matches("^Hello( world){1,3}!$", Generate(new SamplingOptions { Temperature = 0, Grammar = GrammarConstraint.Strict("root ::= \"Hello\" (\" world\"){1,3} \"!\"", "root") }, 50).Text);
    }

    private LlamaRuntime Require()
    {
        Skip.If(_runtime is null, "needs ../shared/models/stories260K.gguf; " + SharedAssets.MissingReason);
        return _runtime!;
    }

    private (string Text, bool Ended) Generate(SamplingOptions options, int maxTokens)
    {
        var runtime = Require();
        var vocabulary = runtime.Vocabulary;
        runtime.RemoveTokens(0, 0, -1);
        var prompt = vocabulary.Tokenize("Once upon a time", addBos: true, parseSpecial: false);
        var batch = new TokenBatch(runtime.Info.BatchSize);
        var row = 0;
        for (var i = 0; i < prompt.Length; i++)
        {
            row = batch.Add(prompt[i], i, 0, wantsLogits: i == prompt.Length - 1);
        }

        Assert.Equal(DecodeStatus.Ok, runtime.Decode(batch));
        using var sampler = runtime.CreateSampler(options);
        var bytes = new List<byte>();
        var piece = new byte[64];
        for (var position = prompt.Length; position < prompt.Length + maxTokens; position++)
        {
            var token = sampler.Sample(row);
            if (vocabulary.IsEndOfGeneration(token))
            {
                return (Encoding.UTF8.GetString([.. bytes]), true);
            }

            bytes.AddRange(piece.AsSpan(0, vocabulary.TokenToBytes(token, piece, special: false)).ToArray());
            batch.Clear();
            row = batch.Add(token, position, 0, wantsLogits: true);
            Assert.Equal(DecodeStatus.Ok, runtime.Decode(batch));
        }

        return (Encoding.UTF8.GetString([.. bytes]), false);
    }
}
