using System.Diagnostics;
using System.Globalization;
using AbstractEndpoint.Jinja;
using AbstractEndpoint.Jinja.Bench;

// Usage: dotnet run -c Release --project bench/AbstractEndpoint.Jinja.Bench -- ../shared/templates/Qwen-Qwen3-0.6B.jinja [renders]
if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: AbstractEndpoint.Jinja.Bench <template.jinja> [renders=20000]");
    return 2;
}

var renders = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
var source = File.ReadAllText(args[0]);

var parseWatch = Stopwatch.StartNew();
var template = JinjaTemplate.Parse(source);
parseWatch.Stop();

// Parsing happens once per model load; measure it warm too.
var parseSamples = new double[200];
for (var i = 0; i < parseSamples.Length; i++)
{
    var start = Stopwatch.GetTimestamp();
    JinjaTemplate.Parse(source);
    parseSamples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
}

Array.Sort(parseSamples);
var context = BenchConversation.Create(toolCount: 4, messageCount: 10);
var promptLength = template.Render(context).Length;

// Warm up the JIT (tiered compilation) before measuring.
for (var i = 0; i < 2_000; i++)
{
    template.Render(context);
}

var samples = new double[renders];
var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
var total = Stopwatch.StartNew();
for (var i = 0; i < renders; i++)
{
    var start = Stopwatch.GetTimestamp();
    template.Render(context);
    samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
}

total.Stop();
var allocatedPerRender = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / renders;
Array.Sort(samples);
double Percentile(double p) => samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(p * samples.Length) - 1)];

Console.WriteLine($"Template: {Path.GetFileName(args[0])} ({source.Length} chars), 4 tools, 10 messages, prompt {promptLength} chars");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Parse: {parseWatch.Elapsed.TotalMicroseconds:F0} µs cold (first parse, JIT), {parseSamples[parseSamples.Length / 2]:F0} µs warm (median of {parseSamples.Length})"));
Console.WriteLine();
Console.WriteLine("| renders | median µs | p90 µs | p99 µs | renders/s | allocated/render |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {renders} | {Percentile(0.5):F1} | {Percentile(0.9):F1} | {Percentile(0.99):F1} | {renders / total.Elapsed.TotalSeconds:F0} | {allocatedPerRender / 1024.0:F1} KB |"));
return 0;
