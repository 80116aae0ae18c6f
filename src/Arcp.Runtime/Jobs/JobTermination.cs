using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Jobs;

/// <summary>A terminal transition: the final status and the terminal event written with it in one transaction.</summary>
public sealed record JobTermination(JobStatus Status, NewJobEvent TerminalEvent)
{
    /// <summary>Validates that the status is terminal and the event is a terminal type.</summary>
    public static JobTermination Create(JobStatus status, NewJobEvent terminalEvent)
    {
        ArgumentNullException.ThrowIfNull(terminalEvent);
        if (!status.IsTerminal())
        {
            throw new ArgumentException($"{status} is not a terminal status.", nameof(status));
        }

        var expectedType = status == JobStatus.Success ? JobEventTypes.Result : JobEventTypes.Error;
        if (terminalEvent.Type != expectedType)
        {
            throw new ArgumentException($"A {status} termination needs a {expectedType} event.", nameof(terminalEvent));
        }

        return new JobTermination(status, terminalEvent);
    }
}
