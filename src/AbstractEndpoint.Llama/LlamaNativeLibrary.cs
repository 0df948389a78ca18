using System.Globalization;
using System.Runtime.InteropServices;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace AbstractEndpoint.Llama;

/// <summary>
/// Which llama.cpp libraries the process runs on: the packaged CPU ones (LLamaSharp picks the AVX level), or a build
/// the user made (<c>--llama-native-dir</c>: CUDA, Vulkan… of the commit LLamaSharp binds), and what it found there.
/// A directory that is not such a build is refused with the reason before LLamaSharp ever loads it, so a wrong
/// directory is a start-up error, never a crash or a silent fall-back to the CPU libraries.
/// </summary>
internal static partial class LlamaNativeLibrary
{
    // Symbols LLamaSharp 0.30.0 and our own bindings call; a build without them is of another llama.cpp commit.
    private static readonly string[] RequiredSymbols =
    [
        "llama_model_load_from_file", "llama_init_from_model", "llama_get_memory", "llama_memory_seq_rm",
        "llama_state_seq_get_data", "llama_sampler_init_grammar", "llama_supports_gpu_offload",
    ];

    private static readonly Lock Gate = new();
    private static string? _selectedDirectory;

    /// <summary>Where the libraries came from, for the start-up log.</summary>
    public static string Source { get; private set; } = "packaged CPU libraries";

    /// <summary>
    /// Points LLamaSharp at <paramref name="directory"/> (null: the packaged libraries). Must run before the first
    /// native call of the process; throws <see cref="ModelLoadException"/> saying what is wrong with the directory.
    /// </summary>
    public static void Select(string? directory)
    {
        lock (Gate)
        {
            if (directory is null)
            {
                return;
            }

            var full = Path.GetFullPath(directory);
            if (_selectedDirectory == full)
            {
                return;
            }

            if (!Directory.Exists(full))
            {
                throw new ModelLoadException($"--llama-native-dir '{directory}' does not exist.");
            }

            var llama = Path.Combine(full, FileName("llama"));
            if (!File.Exists(llama))
            {
                throw new ModelLoadException(
                    $"--llama-native-dir '{directory}' has no {FileName("llama")}: give the directory of a llama.cpp build's shared libraries ({FileName("llama")}, {FileName("ggml")}, {FileName("ggml-base")} and its backends).");
            }

            if (NativeLibraryConfig.LLama.LibraryHasLoaded)
            {
                throw new ModelLoadException(
                    $"--llama-native-dir '{directory}': llama.cpp is already loaded in this process from elsewhere; the directory must be chosen before the first model is loaded.");
            }

            IntPtr handle;
            try
            {
                handle = NativeLibrary.Load(llama);
            }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
            {
                // The loader's reason names a missing dependency (libcudart…) or a wrong architecture.
                throw new ModelLoadException($"--llama-native-dir: {llama} could not be loaded: {ex.Message}", ex);
            }

            var missing = RequiredSymbols.Where(symbol => !NativeLibrary.TryGetExport(handle, symbol, out _)).ToList();
            if (missing.Count > 0)
            {
                throw new ModelLoadException(
                    $"--llama-native-dir: {llama} is not the llama.cpp this server binds (LLamaSharp {LibraryVersion}; missing {string.Join(", ", missing)}): build the llama.cpp commit of that LLamaSharp release.");
            }

            var mtmd = Path.Combine(full, FileName("mtmd"));
            NativeLibraryConfig.All.WithLibrary(llama, File.Exists(mtmd) ? mtmd : null);
            _selectedDirectory = full;
            Source = "libraries from " + full;
        }
    }

    /// <summary>Loads the selected library now, so a failure is reported as such and not as the model's.</summary>
    public static void EnsureLoaded()
    {
        try
        {
            _ = NativeApi.llama_max_devices();
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException or LLama.Exceptions.RuntimeError)
        {
            throw new ModelLoadException($"llama.cpp could not be loaded ({Source}): {(ex.InnerException ?? ex).Message}", ex);
        }
    }

    /// <summary>The backend and devices llama.cpp reports, one line: what the start-up log says the server got.</summary>
    public static string Describe()
    {
        var avx = NativeApi.GetLoadedNativeLibrary(NativeLibraryName.LLama)?.Metadata?.AvxLevel;
        var source = _selectedDirectory is null && avx is { } level ? $"{Source} ({level.ToString().ToLowerInvariant()})" : Source;
        var offload = NativeApi.llama_supports_gpu_offload() ? "GPU offload available" : "no GPU offload";
        return $"{source}; {offload}; devices: {string.Join(", ", Devices())}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "llama.cpp: {Backend}")]
    public static partial void LogBackend(ILogger logger, string backend);

    private static unsafe List<string> Devices()
    {
        var devices = new List<string>();
        if (!NativeLibrary.TryLoad(FileName("ggml"), out var ggml) || !NativeLibrary.TryLoad(FileName("ggml-base"), out var ggmlBase)
            || !NativeLibrary.TryGetExport(ggml, "ggml_backend_dev_count", out var countExport)
            || !NativeLibrary.TryGetExport(ggml, "ggml_backend_dev_get", out var getExport)
            || !NativeLibrary.TryGetExport(ggmlBase, "ggml_backend_dev_name", out var nameExport)
            || !NativeLibrary.TryGetExport(ggmlBase, "ggml_backend_dev_description", out var descriptionExport)
            || !NativeLibrary.TryGetExport(ggmlBase, "ggml_backend_dev_memory", out var memoryExport))
        {
            devices.Add("(not listed: ggml's device functions were not found)");
            return devices;
        }

        var count = ((delegate* unmanaged[Cdecl]<nuint>)countExport)();
        for (nuint i = 0; i < count; i++)
        {
            var device = ((delegate* unmanaged[Cdecl]<nuint, IntPtr>)getExport)(i);
            var name = Marshal.PtrToStringUTF8(((delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)nameExport)(device));
            var description = Marshal.PtrToStringUTF8(((delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)descriptionExport)(device));
            nuint free = 0, total = 0;
            ((delegate* unmanaged[Cdecl]<IntPtr, nuint*, nuint*, void>)memoryExport)(device, &free, &total);
            devices.Add(string.Create(CultureInfo.InvariantCulture, $"{name} ({description?.Trim()}, {(ulong)total >> 20} MiB)"));
        }

        return devices;
    }

    private static string LibraryVersion => typeof(NativeApi).Assembly.GetName().Version?.ToString(3) ?? "?";

    private static string FileName(string library) =>
        OperatingSystem.IsWindows() ? library + ".dll" : OperatingSystem.IsMacOS() ? $"lib{library}.dylib" : $"lib{library}.so";
}
