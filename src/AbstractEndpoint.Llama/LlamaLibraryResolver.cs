using System.Reflection;
using System.Runtime.InteropServices;

namespace AbstractEndpoint.Llama;

/// <summary>
/// Resolves this assembly's own <c>DllImport("llama")</c> bindings to the very <c>libllama</c> LLamaSharp already
/// loaded (on Linux, dlopen matches the SONAME of the loaded copy), so they call into the same library and state.
/// </summary>
internal static class LlamaLibraryResolver
{
    public const string Library = "llama";

    private static readonly Lazy<bool> Registered = new(() =>
    {
        NativeLibrary.SetDllImportResolver(typeof(LlamaLibraryResolver).Assembly, Resolve);
        return true;
    });

    /// <summary>Registers the resolver once; every class with bindings calls it from its static constructor.</summary>
    public static void EnsureRegistered() => _ = Registered.Value;

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        var file = OperatingSystem.IsWindows() ? "llama.dll" : OperatingSystem.IsMacOS() ? "libllama.dylib" : "libllama.so";
        return NativeLibrary.TryLoad(file, out var handle) ? handle : IntPtr.Zero;
    }
}
