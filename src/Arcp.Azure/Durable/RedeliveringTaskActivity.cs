using Arcp.Runtime.Jobs;
using DurableTask.Core;
using DurableTask.Core.Exceptions;

namespace Arcp.Azure.Durable;

/// <summary>
/// Wraps a shimmed activity so a run abandoned at shutdown is redelivered instead of recorded. DurableTask.Core turns
/// any other exception into a <c>TaskFailed</c> history event (the orchestration sees a failure and the work item is
/// deleted), whereas <see cref="SessionAbortedException"/> makes the dispatcher abandon the work item: the queue
/// message becomes visible again and another node, or this one after restart, runs the activity again.
/// </summary>
internal sealed class RedeliveringTaskActivity(TaskActivity inner) : TaskActivity
{
    public override string Run(TaskContext context, string input) => throw new NotSupportedException("Only the asynchronous entry point is used.");

    public override async Task<string> RunAsync(TaskContext context, string input)
    {
        try
        {
            return await inner.RunAsync(context, input).ConfigureAwait(false);
        }
        catch (JobRunAbandonedException ex)
        {
            throw new SessionAbortedException(ex.Message, ex);
        }
    }
}
