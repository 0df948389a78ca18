using System.Diagnostics;
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

    public Utf8PieceDecoder? Decoder { get; private set; }

    public StopSequenceMatcher? StopMatcher { get; private set; }

    public long StartedAt { get; private set; }

    public long FirstTokenAt { get; set; }

    /// <summary>Which of the job's choices this slot produces (0 unless <c>n</c> &gt; 1).</summary>
    public int Choice { get; private set; }

    public void Assign(GenerationJob job, int reusedTokens, ITokenSampler sampler, int choice = 0)
    {
        Job = job;
        Choice = choice;
        Phase = choice == 0 ? SlotPhase.Prefilling : SlotPhase.AwaitingFork;
        ReusedTokens = reusedTokens;
        PromptCursor = reusedTokens;
        Generated = 0;
        LogitsRow = -1;
        Sampler = sampler;
        Decoder = new Utf8PieceDecoder();
        StopMatcher = new StopSequenceMatcher(job.StopSequences);
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
        return StopMatcher!.Push(text);
    }

    /// <summary>What is still held back when the reply ends without a stop sequence.</summary>
    public string FlushText() => StopMatcher!.Push(Decoder!.Flush()) + StopMatcher.Flush();

    public void Release()
    {
        Sampler?.Dispose();
        Sampler = null;
        Job = null;
        Decoder = null;
        StopMatcher = null;
        LogitsRow = -1;
        Phase = SlotPhase.Idle;
        LastUsed = Stopwatch.GetTimestamp();
    }

    public SlotState Snapshot() =>
        new(Sequence, Phase, Cached.Count, Job?.PromptTokens.Count ?? 0, Generated);
}
