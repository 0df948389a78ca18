using System.Globalization;

namespace AbstractEndpoint.Bench.Soak;

/// <summary>A process's resident memory, read from <c>/proc/PID/status</c> (Linux): what the soak samples.</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS in MiB, or null when it cannot be read (not Linux, process gone).</summary>
    public static double? ResidentMebibytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kib = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kib / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
