using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.Extensions.Hosting;

namespace Arcp.Runtime.Jobs;

/// <summary>
/// Runs the jobs <see cref="InProcessJobScheduler"/> queued: each job, then the orchestration's last step (children,
/// credentials) on whatever terminal path it took. A hosted service; a container used without a host starts it with
/// <see cref="StartAsync"/>. Stopping it hands running jobs back (they run again on the next start).
/// </summary>
internal sealed class InProcessJobWorker(InProcessJobScheduler scheduler, JobRunner runner, RevokeCredentialsActivity ending) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private int _started;
    private int _disposed;
    private Task _loop = Task.CompletedTask;

    /// <summary>Starts taking queued jobs; starting again changes nothing.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _loop = Task.Run(() => TakeAsync(_stopping.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops taking jobs and stops the running ones, which hand themselves back.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the running jobs as <see cref="StopAsync"/> does, for a container disposed without a host.</summary>
    public void Dispose()
    {
        // Disposed once per registration that hands it out (itself and as a hosted service).
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task TakeAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var jobId in scheduler.Queued.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                _ = Task.Run(() => RunAndRevokeAsync(jobId, stopping), CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped: what is still queued runs again when the sweeper restarts it.
        }
    }

    private async Task RunAndRevokeAsync(string jobId, CancellationToken stopping)
    {
        try
        {
            if (await runner.RunAsync(jobId, stopping).ConfigureAwait(false) is JobRunOutcome.Abandoned or JobRunOutcome.Superseded)
            {
                scheduler.Ended(jobId, abandoned: true, failure: null);
                return;
            }

            await RevokeAsync(jobId).ConfigureAwait(false);
            scheduler.Ended(jobId, abandoned: false, failure: null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            scheduler.Ended(jobId, abandoned: false, failure: ex);
        }
    }

    /// <summary>Revokes the job's credentials and ends its children, retrying a few times.</summary>
    private async Task RevokeAsync(string jobId)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await ending.RevokeAsync(jobId, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (attempt >= 5)
                {
                    // The ledger keeps what is left outstanding, with its last error, for operators.
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200 << attempt), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
