namespace AbstractEndpoint.Core.Backends;

/// <summary>
/// Where the inference loop's time went since start, as running totals (two readings give the split over a load):
/// the llama.cpp decodes, the sampling and text work after them, and every loop turn that had work. What busy time
/// the decodes and sampling do not account for is the loop's own planning, queueing and slot bookkeeping.
/// </summary>
/// <param name="Steps">Decode steps run (generation steps; embedding decodes are not counted).</param>
/// <param name="DecodedTokens">Rows those steps carried: one per generating slot plus prompt tokens.</param>
/// <param name="PromptTokens">The prompt tokens among them.</param>
/// <param name="DecodeMilliseconds">Time inside llama.cpp's decode.</param>
/// <param name="SampleMilliseconds">Time sampling, detokenizing, matching stop strings and writing events after the decodes.</param>
/// <param name="BusyMilliseconds">Time of the loop turns that had a request in a slot or an embedding to compute, all work included.</param>
public sealed record StepTimings(
    long Steps, long DecodedTokens, long PromptTokens, double DecodeMilliseconds, double SampleMilliseconds, double BusyMilliseconds);
