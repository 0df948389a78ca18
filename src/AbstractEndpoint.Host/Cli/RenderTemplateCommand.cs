using System.CommandLine;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Gguf.Synthetic;
using AbstractEndpoint.Prompting.Templates;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Host.Cli;

/// <summary>
/// <c>abstractcore-endpoint render-template</c>: prints the prompt a chat request renders to, without loading the
/// model's weights — for debugging a template (the same renderer the server uses).
/// </summary>
internal static class RenderTemplateCommand
{
    public static Command Create()
    {
        var templateFile = new Option<FileInfo?>("--template-file") { Description = "A Jinja chat template file." };
        var model = new Option<FileInfo?>("--model") { Description = "A GGUF file: its chat template and BOS/EOS tokens are used (only the header is read)." };
        var template = new Option<string?>("--chat-template") { Description = "A built-in template name (chatml) or inline Jinja." };
        var request = new Option<FileInfo>("--request") { Description = "A /v1/chat/completions request body (JSON file).", Required = true };
        var bos = new Option<string?>("--bos-token") { Description = "BOS text for the template (default: the model's, else empty)." };
        var eos = new Option<string?>("--eos-token") { Description = "EOS text for the template (default: the model's, else empty)." };

        var command = new Command("render-template", "Print the prompt a chat request renders to with a chat template.")
        {
            templateFile, model, template, request, bos, eos,
        };
        command.SetAction(result =>
        {
            try
            {
                var vocabulary = result.GetValue(model) is { } gguf ? GgufVocabulary.FromFile(gguf.FullName) : null;
                var chosen = ChatTemplateResolver.Resolve(
                    result.GetValue(template),
                    result.GetValue(templateFile)?.FullName,
                    vocabulary?.ChatTemplate,
                    reason => Console.Error.WriteLine($"render-template: using ChatML: {reason}"));
                var parsed = ChatCompletionRequestParser.Parse(File.ReadAllBytes(result.GetValue(request)!.FullName), requireModel: false);
                Console.Out.Write(chosen.Render(new ChatTemplateInput
                {
                    Messages = parsed.Request.Messages,
                    Tools = parsed.Request.Tools,
                    BosToken = result.GetValue(bos) ?? TokenText(vocabulary, vocabulary?.BosTokenId),
                    EosToken = result.GetValue(eos) ?? TokenText(vocabulary, vocabulary?.EosTokenId),
                    Variables = ReasoningTemplateVariables.Detect(chosen is ChatMlTemplate ? null
                            : result.GetValue(templateFile) is { } file ? File.ReadAllText(file.FullName)
                            : result.GetValue(template) ?? vocabulary?.ChatTemplate)
                        .Apply(parsed.Request.Reasoning, parsed.Request.TemplateVariables),
                }));
                return 0;
            }
            catch (Exception ex) when (ex is EndpointException or ArgumentException or IOException or Gguf.GgufFormatException)
            {
                Console.Error.WriteLine("render-template: " + ex.Message);
                return 2;
            }
        });
        return command;
    }

    private static string TokenText(GgufVocabulary? vocabulary, long? id) =>
        vocabulary is not null && id is { } index && index >= 0 && index < vocabulary.Tokens.Count ? vocabulary.Tokens[(int)index] : "";
}
