using System.Diagnostics;

namespace Arcp.Benchmarks;

/// <summary>CPU time of a process (user + system), read by id; zero when the process is not known or has gone.</summary>
internal static class ProcessCpu
{
    public static double Seconds(int? processId)
    {
        if (processId is not { } id)
        {
            return 0;
        }

        try
        {
            using var process = Process.GetProcessById(id);
            return process.TotalProcessorTime.TotalSeconds;
        }
        catch (ArgumentException)
        {
            return 0;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }
}
