using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;

namespace Arcp.Testing;

/// <summary>Waiting for a job's stored state, for tests that drive a runtime from outside.</summary>
public static class JobStoreWaits
{
    /// <summary>Polls the job's state row until it is terminal; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public static async Task<JobState> WaitTerminalAsync(this IJobStore jobs, string jobId, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var state = await jobs.GetAsync(jobId, default).ConfigureAwait(false);
            if (state is { Status: var status } && status.IsTerminal())
            {
                return state;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Job {jobId} is still {state?.Status} after {timeout}.");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }
}
