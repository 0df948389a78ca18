using System.Text;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine.Tests.Fakes;

/// <summary>
/// A byte-level vocabulary: token ids 0–255 are the single bytes, <see cref="Bos"/> and <see cref="Eos"/> are
/// control tokens (no bytes), and tests can define extra tokens with any byte piece, e.g. half of a multi-byte
/// character or part of a stop string.
/// </summary>
public sealed class FakeVocabulary : IVocabulary
{
    public const int Bos = 256;
    public const int Eos = 257;
    public const int FirstCustomToken = 300;

    private readonly Lock _lock = new();
    private readonly List<byte[]> _custom = [];
    private readonly HashSet<int> _endOfGeneration = [Eos];
    private readonly HashSet<int> _control = [];
    private readonly List<GrammarConstraint> _validatedGrammars = [];

    public bool AddsBos { get; init; }

    public string BosText { get; init; } = "<s>";

    public string EosText { get; init; } = "</s>";

    public int VocabularySize
    {
        get
        {
            lock (_lock)
            {
                return FirstCustomToken + _custom.Count;
            }
        }
    }

    /// <summary>Defines a new token whose piece is the UTF-8 of <paramref name="text"/>; each call gets a fresh id.</summary>
    public int Define(string text) => Define(Encoding.UTF8.GetBytes(text));

    /// <summary>Defines a new token with an arbitrary byte piece (may be an incomplete UTF-8 sequence).</summary>
    public int Define(byte[] piece)
    {
        lock (_lock)
        {
            _custom.Add([.. piece]);
            return FirstCustomToken + _custom.Count - 1;
        }
    }

    /// <summary>
    /// Defines a control token (as <c>[TOOL_CALLS]</c> is for Mistral): its text is only produced when special
    /// tokens are rendered.
    /// </summary>
    public int DefineControl(string text)
    {
        var token = Define(text);
        lock (_lock)
        {
            _control.Add(token);
        }

        return token;
    }

    /// <summary>What <see cref="ValidateGrammar"/> answers; null accepts every grammar.</summary>
    public string? GrammarProblem { get; set; }

    /// <summary>Every grammar a request asked to validate, in order.</summary>
    public IReadOnlyList<GrammarConstraint> ValidatedGrammars
    {
        get
        {
            lock (_lock)
            {
                return [.. _validatedGrammars];
            }
        }
    }

    /// <summary>Makes another token end generation, besides <see cref="Eos"/>.</summary>
    public void MarkEndOfGeneration(int token)
    {
        lock (_lock)
        {
            _endOfGeneration.Add(token);
        }
    }

    /// <summary>The byte tokens of a text, without BOS or special-token parsing.</summary>
    public static int[] BytesOf(string text) => [.. Encoding.UTF8.GetBytes(text).Select(b => (int)b)];

    /// <summary>The bytes a sequence of tokens stands for, decoded as UTF-8.</summary>
    public string Detokenize(IEnumerable<int> tokens)
    {
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            bytes.AddRange(PieceOf(token));
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    public int[] Tokenize(string text, bool addBos, bool parseSpecial)
    {
        var tokens = new List<int>();
        if (addBos)
        {
            tokens.Add(Bos);
        }

        var i = 0;
        while (i < text.Length)
        {
            if (parseSpecial && BosText.Length > 0 && text.AsSpan(i).StartsWith(BosText, StringComparison.Ordinal))
            {
                tokens.Add(Bos);
                i += BosText.Length;
                continue;
            }

            if (parseSpecial && EosText.Length > 0 && text.AsSpan(i).StartsWith(EosText, StringComparison.Ordinal))
            {
                tokens.Add(Eos);
                i += EosText.Length;
                continue;
            }

            var length = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            tokens.AddRange(BytesOf(text.Substring(i, length)));
            i += length;
        }

        return [.. tokens];
    }

    public int TokenToBytes(int token, Span<byte> destination, bool special = false)
    {
        bool control;
        lock (_lock)
        {
            control = _control.Contains(token);
        }

        var piece = control && !special ? [] : PieceOf(token);
        if (piece.Length > destination.Length)
        {
            return -piece.Length; // llama.cpp's convention: the negated size needed.
        }

        piece.CopyTo(destination);
        return piece.Length;
    }

    public string? ValidateGrammar(GrammarConstraint grammar)
    {
        lock (_lock)
        {
            _validatedGrammars.Add(grammar);
        }

        return GrammarProblem;
    }

    public bool IsEndOfGeneration(int token)
    {
        lock (_lock)
        {
            return _endOfGeneration.Contains(token);
        }
    }

    private byte[] PieceOf(int token)
    {
        if (token is >= 0 and < 256)
        {
            return [(byte)token];
        }

        if (token is Bos or Eos)
        {
            return [];
        }

        lock (_lock)
        {
            var index = token - FirstCustomToken;
            if (index < 0 || index >= _custom.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(token), token, "Not a token of the fake vocabulary.");
            }

            return _custom[index];
        }
    }
}
