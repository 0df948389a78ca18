using System.CommandLine;
using AbstractEndpoint.Bench.Commands;

// Each subcommand lives in one file under Commands/ and exposes Create(); adding one is one line here.
var root = new RootCommand("AbstractEndpoint benchmark tools")
{
    GenerateModelCommand.Create(),
    InspectCommand.Create(),
    LoadCommand.Create(),
    EngineCommand.Create(),
    StepCostsCommand.Create(),
    SideBySideCommand.Create(),
    FuzzCommand.Create(),
    SoakCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
