using System.CommandLine;
using System.Globalization;
using System.Text;
using AbstractEndpoint.Llama;

namespace AbstractEndpoint.Bench.Commands;

/// <summary>
/// <c>step-costs</c>: what one decode step costs by what it carries, on the raw engine with running streams' cells
/// resident (<see cref="StepCostProbe"/>): decode rows alone, prompt tokens beside them, and prompts alone. It shows
/// where a step's cost is not linear in its rows, which is what the step budget's planning has to live with.
/// </summary>
internal static class StepCostsCommand
{
    public static Command Create()
    {
        var engine = new RawEngineOptions(defaultContextSize: 8192);
        var streams = new Option<int>("--streams") { Description = "Running streams whose cells are resident", DefaultValueFactory = _ => 8 };
        var cells = new Option<int>("--cells-per-stream") { Description = "Cells each running stream holds", DefaultValueFactory = _ => 200 };
        var decodeRows = new Option<int[]>("--decode-rows")
        {
            Description = "Decode rows per step, e.g. 0,1,4,8",
            DefaultValueFactory = _ => [0, 1, 4, 8],
            CustomParser = LoadCommand.ParseIntegers,
            AllowMultipleArgumentsPerToken = true,
        };
        var promptTokens = new Option<int[]>("--prompt-tokens")
        {
            Description = "Prompt tokens per step beside them, e.g. 0,16,64,128",
            DefaultValueFactory = _ => [0, 4, 16, 64, 128],
            CustomParser = LoadCommand.ParseIntegers,
            AllowMultipleArgumentsPerToken = true,
        };
        var repeats = new Option<int>("--repeats") { Description = "Timings per step shape (the median is printed)", DefaultValueFactory = _ => 5 };

        var command = new Command("step-costs", "Time decode steps by their decode rows and prompt tokens, with running streams' cells resident")
        {
            streams, cells, decodeRows, promptTokens, repeats,
        };
        engine.AddTo(command);
        command.SetAction(CommandAction.Guarded(parse =>
        {
            var running = parse.GetValue(streams);
            var shapes = (
                from rows in parse.GetValue(decodeRows)!
                from prompt in parse.GetValue(promptTokens)!
                where rows + prompt > 0
                select (rows, prompt)).ToList();
            if (running < 1 || shapes.Any(s => s.rows < 0 || s.prompt < 0 || s.rows > running))
            {
                throw new ArgumentException("--streams must be positive and --decode-rows between 0 and --streams");
            }

            using var runtime = engine.Load(parse, running + 1);
            var cellsPerStream = parse.GetValue(cells);
            StepCostProbe.Measure(runtime, running, cellsPerStream, [(running, 16)], 2); // warm-up: page in the weights, build the graphs
            var costs = StepCostProbe.Measure(runtime, running, cellsPerStream, shapes, parse.GetValue(repeats));

            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"step-costs: {engine.Describe(parse)}, {running} streams of {cellsPerStream} cells resident, median of {parse.GetValue(repeats)}");
            text.AppendLine();
            text.AppendLine("| decode rows | prompt tokens | step ms | ms per prompt token beyond the decode rows alone |");
            text.AppendLine("| ---: | ---: | ---: | ---: |");
            foreach (var cost in costs)
            {
                var alone = costs.FirstOrDefault(c => c.DecodeRows == cost.DecodeRows && c.PromptTokens == 0)?.Milliseconds ?? 0;
                var perToken = cost.PromptTokens > 0 ? ((cost.Milliseconds - alone) / cost.PromptTokens).ToString("F2", CultureInfo.InvariantCulture) : "–";
                text.AppendLine(CultureInfo.InvariantCulture, $"| {cost.DecodeRows} | {cost.PromptTokens} | {cost.Milliseconds:F1} | {perToken} |");
            }

            parse.InvocationConfiguration.Output.Write(text.ToString());
            return 0;
        }));
        return command;
    }
}
