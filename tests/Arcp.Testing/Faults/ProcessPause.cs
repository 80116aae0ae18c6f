using System.Diagnostics;
using System.Globalization;

namespace Arcp.Testing.Faults;

/// <summary>Freezes a host process (SIGSTOP) and thaws it (SIGCONT), as a long GC pause or a VM freeze would.</summary>
public static class ProcessPause
{
    /// <summary>Stops <paramref name="host"/> for <paramref name="duration"/>, then lets it go on (also when cancelled).</summary>
    public static async Task PauseAsync(this HostProcess host, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        await SignalAsync(host.ProcessId, "STOP");
        try
        {
            await Task.Delay(duration, cancellationToken);
        }
        finally
        {
            if (!host.HasExited)
            {
                await SignalAsync(host.ProcessId, "CONT");
            }
        }
    }

    /// <summary>Sends one signal to one process id through the system's <c>kill</c>.</summary>
    private static async Task SignalAsync(int pid, string signal)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("-" + signal);
        start.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        using var kill = Process.Start(start) ?? throw new InvalidOperationException("kill did not start");
        var error = await kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed: {error}");
        }
    }
}
