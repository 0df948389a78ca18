using System.Runtime.InteropServices;
using LLama.Native;

namespace AbstractEndpoint.Llama;

/// <summary>
/// Whether a llama.cpp context has memory (a KV cache or a recurrent state). llama.cpp creates none for encoder-only
/// architectures (the BERT family, modern-bert, gemma-embedding …): such a context only encodes, so it can embed but
/// never generate. LLamaSharp keeps <c>llama_get_memory</c> private, hence this binding.
/// </summary>
internal static class LlamaContextMemory
{
    static LlamaContextMemory() => LlamaLibraryResolver.EnsureRegistered();

    public static bool Exists(SafeLLamaContextHandle context) => llama_get_memory(context.DangerousGetHandle()) != IntPtr.Zero;

    [DllImport(LlamaLibraryResolver.Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern IntPtr llama_get_memory(IntPtr context);
}
