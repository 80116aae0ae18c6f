using Polly;
using Polly.Retry;

namespace Arcp.Runtime.Storage;

/// <summary>
/// Retries one storage operation through transient faults (as the adapter classifies them) with jittered exponential
/// backoff, for at most <c>limit</c> in all; then throws <see cref="StorageUnavailableException"/> wrapping the last
/// fault. Callers make the operation safe to repeat: reads are, and conditional commits carry a commit id.
/// </summary>
internal sealed class TransientRetry
{
    private static readonly ResiliencePropertyKey<long> s_startedAt = new("arcp.transient.started");
    private readonly ResiliencePipeline _pipeline;
    private readonly Func<Exception, bool> _isTransient;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the retry for faults <paramref name="isTransient"/> accepts.</summary>
    public TransientRetry(Func<Exception, bool> isTransient, TimeSpan limit, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(isTransient);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _isTransient = isTransient;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex && isTransient(ex)
                    && args.Context.Properties.TryGetValue(s_startedAt, out var started)
                    && timeProvider.GetElapsedTime(started) < limit),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(3),
                MaxRetryAttempts = int.MaxValue,
            })
            .Build();
        _timeProvider = timeProvider;
    }

    /// <summary>Runs <paramref name="operation"/>, retrying transient faults.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(s_startedAt, _timeProvider.GetTimestamp());
        try
        {
            return await _pipeline.ExecuteAsync(static async (ctx, op) => await op(ctx.CancellationToken).ConfigureAwait(false), context, operation).ConfigureAwait(false);
        }
        catch (Exception ex) when (_isTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw new StorageUnavailableException("Storage kept failing with transient faults.", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
