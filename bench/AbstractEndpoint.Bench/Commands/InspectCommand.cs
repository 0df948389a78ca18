using System.CommandLine;
using AbstractEndpoint.Gguf;

namespace AbstractEndpoint.Bench.Commands;

/// <summary><c>inspect</c>: prints a GGUF's header (metadata and tensor list) without reading tensor data.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The GGUF file" };
        var tensors = new Option<bool>("--tensors") { Description = "List every tensor" };
        var command = new Command("inspect", "Print a GGUF file's metadata and tensors") { file, tensors };
        command.SetAction(CommandAction.Guarded(parse =>
        {
            var gguf = GgufFile.Read(parse.GetValue(file)!.FullName);
            Console.WriteLine($"GGUF v{gguf.Version}, {gguf.Metadata.Count} metadata keys, {gguf.Tensors.Count} tensors, " +
                              $"alignment {gguf.Alignment}, data at {gguf.DataOffset}");
            foreach (var entry in gguf.Metadata)
            {
                Console.WriteLine($"  {entry}");
            }

            if (parse.GetValue(tensors))
            {
                foreach (var tensor in gguf.Tensors)
                {
                    Console.WriteLine($"  {tensor}");
                }
            }

            return 0;
        }));
        return command;
    }
}
