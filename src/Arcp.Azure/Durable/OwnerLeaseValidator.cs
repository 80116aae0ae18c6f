using Arcp.Runtime.Jobs;
using Microsoft.Extensions.Options;

namespace Arcp.Azure.Durable;

/// <summary>
/// Fails start-up when the owner lease outlasts the work-item visibility timeout: a crashed worker's activity would be
/// handed out again while its claim still holds, and the new worker would wait out the rest of the lease (the job
/// stalls for the lease, not for the visibility timeout).
/// </summary>
internal sealed class OwnerLeaseValidator(IOptions<DurableTaskOptions> durable) : IValidateOptions<JobRunnerOptions>
{
    public ValidateOptionsResult Validate(string? name, JobRunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var visibility = durable.Value.WorkItemQueueVisibilityTimeout;
        if (options.OwnerLease <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("Arcp:Jobs:OwnerLease must be positive.");
        }

        return options.OwnerLease > visibility
            ? ValidateOptionsResult.Fail(
                $"Arcp:Jobs:OwnerLease ({options.OwnerLease}) must not exceed {DurableTaskOptions.SectionName}:WorkItemQueueVisibilityTimeout ({visibility}): " +
                "a crashed worker's job would wait for the lease after its activity is handed out again.")
            : ValidateOptionsResult.Success;
    }
}
