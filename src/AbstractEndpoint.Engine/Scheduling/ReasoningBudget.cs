namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// A cap on a job's reasoning (<see cref="Core.Generation.GenerationLimits.MaxReasoningTokens"/>) in the model's
/// tagged format: after <see cref="MaxTokens"/> tokens inside the block the loop writes <see cref="CloseTokens"/>
/// itself, so the model goes on with its answer.
/// </summary>
/// <param name="MaxTokens">Tokens allowed inside the reasoning block.</param>
/// <param name="Open">The opening tag, looked for at the start of the output unless the prompt already opened the block.</param>
/// <param name="Close">The closing tag, whose appearance ends the count.</param>
/// <param name="CloseTokens">What is forced at the budget: the closing tag and the break the format puts after it.</param>
/// <param name="StartsInside">The prompt ends with the opening tag: the output starts inside the block.</param>
public sealed record ReasoningBudget(int MaxTokens, string Open, string Close, IReadOnlyList<int> CloseTokens, bool StartsInside);
