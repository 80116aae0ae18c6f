namespace Arcp.Agents.Sdk.Testing;

/// <summary>Counts the durable steps a run executes and triggers the simulated crash or cancel after the configured one.</summary>
internal sealed class StepInterceptor(AgentRunOptions options, CancellationTokenSource firstAttemptShutdown, Func<Task> cancel)
{
    private int _executed;
    private bool _cancelled;

    public int Runs { get; private set; }

    public void OnRunStarted() => Runs++;

    public async Task OnStepExecutedAsync()
    {
        var executed = Interlocked.Increment(ref _executed);
        if (Runs == 1 && options.CrashAfterSteps == executed)
        {
            // The step's record is durable; dying now is the crash "between durable steps".
            await firstAttemptShutdown.CancelAsync().ConfigureAwait(false);
            throw new OperationCanceledException("Simulated crash of the worker.", firstAttemptShutdown.Token);
        }

        if (!_cancelled && options.CancelAfterSteps == executed)
        {
            _cancelled = true;
            await cancel().ConfigureAwait(false);
        }
    }
}
