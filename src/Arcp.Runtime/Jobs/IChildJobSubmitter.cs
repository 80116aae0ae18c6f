using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Jobs;

/// <summary>
/// Submits and starts a job delegated by a running job (§10): what <see cref="JobRunner"/> needs from whoever owns
/// submission, so the runner does not depend on <see cref="JobService"/> (which depends on the scheduler that runs it).
/// </summary>
public interface IChildJobSubmitter
{
    /// <summary>Submits <paramref name="submit"/> in <paramref name="parent"/>'s session, principal and trace, and starts it when accepted.</summary>
    Task<SubmitOutcome> SubmitChildAsync(JobDefinition parent, JobSubmit submit, CancellationToken cancellationToken);
}
