using System.Runtime.InteropServices;
using LLama.Native;

namespace AbstractEndpoint.Llama;

/// <summary>
/// Our own bindings to llama.cpp's grammar sampler, used instead of LLamaSharp's: its <c>AddGrammar</c> adds a
/// NULL sampler to the chain when the grammar does not parse (the next sample is a SIGSEGV), and its
/// <c>AddLazyGrammar</c> binding omits <c>num_trigger_patterns</c> (an abort). A NULL from
/// <c>llama_sampler_init_grammar</c> is how llama.cpp says a grammar is invalid, and we turn it into an error.
/// The calls resolve to the very <c>libllama</c> LLamaSharp already loaded (see <see cref="LlamaLibraryResolver"/>).
/// Lazy grammars are not bound: llama.cpp matches their trigger patterns with <c>std::regex_match</c> over the
/// whole output, which recurses once per character and overflows the stack (measured on llama.cpp as bundled
/// with LLamaSharp 0.30.0: after about 5,600 characters on a 1 MB thread stack, about 85,000 on 16 MB), so
/// <see cref="LlamaSampler"/> watches for triggers itself.
/// </summary>
internal static partial class LlamaGrammarNative
{
    private const string Library = LlamaLibraryResolver.Library;

    static LlamaGrammarNative() => LlamaLibraryResolver.EnsureRegistered();

    /// <summary>The model's vocabulary (<c>const llama_vocab *</c>), which grammar samplers are built against.</summary>
    public static IntPtr ModelVocabulary(SafeLlamaModelHandle model) => llama_model_get_vocab(model.DangerousGetHandle());

    /// <summary>A grammar sampler, or null when llama.cpp cannot parse the grammar (it logs why).</summary>
    public static GrammarSamplerHandle? CreateGrammar(IntPtr vocabulary, string gbnf, string root)
    {
        var handle = llama_sampler_init_grammar(vocabulary, gbnf, root);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            return null;
        }

        return handle;
    }

    /// <summary>Sets the logits of the candidates the grammar does not allow next to negative infinity.</summary>
    public static void Apply(GrammarSamplerHandle grammar, ref LLamaTokenDataArrayNative candidates) => llama_sampler_apply(grammar, ref candidates);

    /// <summary>Advances the grammar over a token; the token must be allowed (else llama.cpp throws across the boundary).</summary>
    public static void Accept(GrammarSamplerHandle grammar, int token) => llama_sampler_accept(grammar, token);

    internal static void Free(IntPtr sampler) => llama_sampler_free(sampler);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern IntPtr llama_model_get_vocab(IntPtr model);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern GrammarSamplerHandle llama_sampler_init_grammar(
        IntPtr vocab, [MarshalAs(UnmanagedType.LPUTF8Str)] string grammar, [MarshalAs(UnmanagedType.LPUTF8Str)] string root);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern void llama_sampler_apply(GrammarSamplerHandle sampler, ref LLamaTokenDataArrayNative candidates);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern void llama_sampler_accept(GrammarSamplerHandle sampler, int token);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern void llama_sampler_free(IntPtr sampler);
}
