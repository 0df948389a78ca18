namespace AbstractEndpoint.StructuredOutput;

/// <summary>
/// A grammar to constrain sampling with. When <see cref="Lazy"/> is set, sampling stays free until one of
/// <see cref="TriggerPatterns"/> matches the generated text, and the grammar then applies from the pattern's
/// first capture group (llama.cpp's <c>llama_sampler_init_grammar_lazy_patterns</c>: patterns in std::regex
/// ECMAScript syntax, anchored <c>^…$</c> so they are matched against the whole generated text).
/// <see cref="TriggerWords"/> are the literal opening markers, for engines that trigger on tokens or strings.
/// </summary>
public sealed record GrammarSpec(string Gbnf, string Root, IReadOnlyList<string> TriggerPatterns, IReadOnlyList<string> TriggerWords, bool Lazy);
