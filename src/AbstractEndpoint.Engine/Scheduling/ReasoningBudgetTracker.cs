namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// Follows one choice's output against its <see cref="ReasoningBudget"/>: waits for the reasoning block to open (or
/// starts inside it), counts the tokens generated inside, and at the budget hands the loop the closing tag's tokens
/// one by one (<see cref="Forced"/>). A block the model closes itself, or an output that does not start with one,
/// ends the watch. Loop thread only.
/// </summary>
internal sealed class ReasoningBudgetTracker
{
    private readonly ReasoningBudget _budget;
    private Phase _phase;
    private string _seen = "";
    private int _count;
    private int _forced;

    public ReasoningBudgetTracker(ReasoningBudget budget)
    {
        _budget = budget;
        _phase = Phase.Before;
        if (budget.StartsInside)
        {
            Enter();
        }
    }

    private enum Phase
    {
        Before,
        Inside,
        Forcing,
        Done,
    }

    /// <summary>The token to write instead of sampling, while the closing tag is being forced; else null.</summary>
    public int? Forced => _phase == Phase.Forcing ? _budget.CloseTokens[_forced] : null;

    /// <summary>Whether the budget closed the block (the closing tag was forced).</summary>
    public bool Closed { get; private set; }

    /// <summary>Gives up forcing (the sampler's grammar refused the closing tag): the model goes on as it would.</summary>
    public void Abandon() => _phase = Phase.Done;

    /// <summary>After each generated token: its text (possibly empty while a character or a stop string is incomplete).</summary>
    public void Observe(string text)
    {
        switch (_phase)
        {
            case Phase.Forcing:
                if (++_forced == _budget.CloseTokens.Count)
                {
                    Closed = true;
                    _phase = Phase.Done;
                }

                break;
            case Phase.Before:
                _seen += text;
                var start = _seen.TrimStart();
                if (start.StartsWith(_budget.Open, StringComparison.Ordinal))
                {
                    var after = start[_budget.Open.Length..];
                    Enter();
                    Inside(after, counts: false);
                }
                else if (start.Length > 0 && !_budget.Open.StartsWith(start, StringComparison.Ordinal))
                {
                    _phase = Phase.Done; // The output is an answer: no reasoning block to cap.
                }

                break;
            case Phase.Inside:
                Inside(text, counts: true);
                break;
        }
    }

    private void Enter()
    {
        _phase = Phase.Inside;
        _seen = "";
        _count = 0;
        StartForcingAtBudget();
    }

    private void Inside(string text, bool counts)
    {
        if (_phase != Phase.Inside)
        {
            return;
        }

        _seen += text;
        if (_seen.Contains(_budget.Close, StringComparison.Ordinal))
        {
            _phase = Phase.Done; // The model closed the block within its budget.
            return;
        }

        // Only a tail that may still begin the closing tag matters.
        var keep = _budget.Close.Length - 1;
        if (_seen.Length > keep)
        {
            _seen = _seen[^keep..];
        }

        if (counts)
        {
            _count++;
        }

        StartForcingAtBudget();
    }

    private void StartForcingAtBudget()
    {
        // A closing tag the model has begun to write is let through: it ends the block a few tokens late anyway.
        if (_phase == Phase.Inside && _count >= _budget.MaxTokens && !EndsInsideClose())
        {
            _phase = _budget.CloseTokens.Count > 0 ? Phase.Forcing : Phase.Done;
            _forced = 0;
        }
    }

    private bool EndsInsideClose()
    {
        for (var length = Math.Min(_seen.Length, _budget.Close.Length - 1); length > 0; length--)
        {
            if (_budget.Close.StartsWith(_seen[^length..], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
