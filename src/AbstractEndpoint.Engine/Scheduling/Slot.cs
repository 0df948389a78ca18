using System.Diagnostics;
using System.Text;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Engine.Text;

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// One llama.cpp sequence and the job it serves. Loop thread only. <see cref="Cached"/> always equals the
/// tokens whose KV cells exist in this sequence (positions 0..Count-1), so prefix reuse can trust it.
/// </summary>
internal sealed class Slot(int sequence)
{
    private readonly byte[] _pieceBuffer = new byte[256];
    private readonly byte[] _entryBuffer = new byte[256];

    public int Sequence { get; } = sequence;

    public List<int> Cached { get; } = [];

    public SlotPhase Phase { get; private set; } = SlotPhase.Idle;

    public GenerationJob? Job { get; private set; }

    /// <summary>Index of the next prompt token to feed while prefilling.</summary>
    public int PromptCursor { get; set; }

    /// <summary>Prompt tokens placed in the current batch; they count as fed once the decode succeeds.</summary>
    public int PlannedPrefill { get; set; }

    /// <summary>Prompt tokens reused from the previous occupant's cells.</summary>
    public int ReusedTokens { get; private set; }

    public int Generated { get; set; }

    /// <summary>The token sampled last step, to be decoded this step.</summary>
    public int PendingToken { get; set; }

    /// <summary>Batch row holding this slot's logits after the current decode, or -1.</summary>
    public int LogitsRow { get; set; } = -1;

    /// <summary>When the slot last served a job; idle slots are reused least-recent first.</summary>
    public long LastUsed { get; private set; }

    public ITokenSampler? Sampler { get; private set; }

    /// <summary>This choice's reasoning cap, when its job has one.</summary>
    public ReasoningBudgetTracker? ReasoningBudget { get; private set; }

    public Utf8PieceDecoder? Decoder { get; private set; }

    public StopSequenceMatcher? StopMatcher { get; private set; }

    /// <summary>Lines log probabilities up with the emitted text; null when the job did not ask for them.</summary>
    public LogprobAligner? Logprobs { get; private set; }

    /// <summary>The entries that go with the text the last <see cref="TextOf"/> or <see cref="FlushText"/> returned.</summary>
    public List<TokenLogprob>? ReleasedLogprobs { get; private set; }

    public long StartedAt { get; private set; }

    public long FirstTokenAt { get; set; }

    /// <summary>Which of the job's choices this slot produces (0 unless <c>n</c> &gt; 1).</summary>
    public int Choice { get; private set; }

    /// <summary>The isolation tag of the last job assigned here: whose prompt the cached tokens are.</summary>
    public string? IsolationTag { get; private set; }

    public void Assign(GenerationJob job, int reusedTokens, ITokenSampler sampler, int choice = 0)
    {
        Job = job;
        IsolationTag = job.IsolationTag;
        Choice = choice;
        Phase = choice == 0 ? SlotPhase.Prefilling : SlotPhase.AwaitingFork;
        ReusedTokens = reusedTokens;
        PromptCursor = reusedTokens;
        Generated = 0;
        LogitsRow = -1;
        Sampler = sampler;
        Decoder = new Utf8PieceDecoder();
        StopMatcher = new StopSequenceMatcher(job.StopSequences);
        ReasoningBudget = job.ReasoningBudget is { } budget ? new ReasoningBudgetTracker(budget) : null;
        Logprobs = job.Sampling.TopLogprobs is null ? null : new LogprobAligner();
        ReleasedLogprobs = null;
        StartedAt = Stopwatch.GetTimestamp();
        FirstTokenAt = 0;
    }

    /// <summary>
    /// Takes over the first choice's computed prompt (its KV cells were just copied into this sequence) and its
    /// logits row, so this choice samples its own first token in the same step.
    /// </summary>
    public void CompleteFork(IReadOnlyList<int> promptTokens, int logitsRow, int reusedTokens)
    {
        ReusedTokens = reusedTokens;
        Cached.Clear();
        Cached.AddRange(promptTokens);
        PromptCursor = promptTokens.Count;
        LogitsRow = logitsRow;
        Phase = SlotPhase.Prefilling;
    }

    public void StartGenerating(int firstToken)
    {
        Phase = SlotPhase.Generating;
        PendingToken = firstToken;
    }

    /// <summary>Turns a sampled token into emit-ready text (UTF-8 completed, stop sequences held back).</summary>
    public string TextOf(int token, IVocabulary vocabulary)
    {
        var length = vocabulary.TokenToBytes(token, _pieceBuffer, Job!.RenderSpecialTokens);
        var text = Decoder!.Add(_pieceBuffer.AsSpan(0, length));
        if (Logprobs is null)
        {
            return StopMatcher!.Push(text);
        }

        if (Sampler!.LastLogprobs is { } sampled)
        {
            Logprobs.Add(Entry(sampled, vocabulary), text.Length);
        }
        else
        {
            Logprobs.AddChars(text.Length);
        }

        var emitted = StopMatcher!.Push(text);
        ReleasedLogprobs = Logprobs.Release(emitted.Length, StopMatcher.Stopped, final: false);
        return emitted;
    }

    /// <summary>What is still held back when the reply ends without a stop sequence.</summary>
    public string FlushText()
    {
        var decoded = Decoder!.Flush();
        Logprobs?.AddChars(decoded.Length);
        var emitted = StopMatcher!.Push(decoded) + StopMatcher.Flush();
        ReleasedLogprobs = Logprobs?.Release(emitted.Length, StopMatcher.Stopped, final: true);
        return emitted;
    }

    public void Release()
    {
        Sampler?.Dispose();
        Sampler = null;
        Job = null;
        Decoder = null;
        StopMatcher = null;
        ReasoningBudget = null;
        Logprobs = null;
        ReleasedLogprobs = null;
        LogitsRow = -1;
        Phase = SlotPhase.Idle;
        LastUsed = Stopwatch.GetTimestamp();
    }

    public SlotState Snapshot() =>
        new(Sequence, Phase, Cached.Count, Job?.PromptTokens.Count ?? 0, Generated);

    // The entry as OpenAI shows it. Control tokens show their text (an entry describes the token, whether or not
    // the reply's text renders it); end-of-generation tokens never get an entry, as they end the reply instead.
    private TokenLogprob Entry(SampledLogprobs sampled, IVocabulary vocabulary)
    {
        var top = new TopLogprob[sampled.Top.Count];
        for (var i = 0; i < top.Length; i++)
        {
            var bytes = PieceOf(sampled.Top[i].Token, vocabulary);
            top[i] = new TopLogprob(Encoding.UTF8.GetString(bytes), sampled.Top[i].Logprob, bytes);
        }

        var chosen = PieceOf(sampled.Token, vocabulary);
        return new TokenLogprob(Encoding.UTF8.GetString(chosen), sampled.Logprob, chosen, top);
    }

    private byte[] PieceOf(int token, IVocabulary vocabulary)
    {
        var length = vocabulary.TokenToBytes(token, _entryBuffer, special: true);
        if (length < 0)
        {
            var larger = new byte[-length];
            return larger[..vocabulary.TokenToBytes(token, larger, special: true)];
        }

        return _entryBuffer[..length];
    }
}
