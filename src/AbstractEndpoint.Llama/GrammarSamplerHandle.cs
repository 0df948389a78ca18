using Microsoft.Win32.SafeHandles;

namespace AbstractEndpoint.Llama;

/// <summary>A llama.cpp grammar sampler we own (it is never added to a chain, so we free it).</summary>
internal sealed class GrammarSamplerHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public GrammarSamplerHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LlamaGrammarNative.Free(handle);
        return true;
    }
}
