using Microsoft.Extensions.Options;

namespace Arcp.Azure.Durable;

/// <summary>Fails start-up on a task hub setting the backend would reject later, or silently misuse.</summary>
internal sealed class DurableTaskOptionsValidator : IValidateOptions<DurableTaskOptions>
{
    public ValidateOptionsResult Validate(string? name, DurableTaskOptions options)
    {
        var failures = new List<string>();
        var hub = options.TaskHubName;
        if (string.IsNullOrEmpty(hub) || hub.Length is < 3 or > 45 || !char.IsAsciiLetter(hub[0]) || !hub.All(char.IsAsciiLetterOrDigit))
        {
            failures.Add($"{DurableTaskOptions.SectionName}:TaskHubName must be 3-45 letters and digits starting with a letter.");
        }

        if (options.PartitionCount is < 1 or > 16)
        {
            failures.Add($"{DurableTaskOptions.SectionName}:PartitionCount must be between 1 and 16.");
        }

        foreach (var (setting, value) in new[]
                 {
                     ("MaxQueuePollingInterval", options.MaxQueuePollingInterval),
                     ("WorkItemQueueVisibilityTimeout", options.WorkItemQueueVisibilityTimeout),
                     ("ControlQueueVisibilityTimeout", options.ControlQueueVisibilityTimeout),
                     ("PartitionTableOperationTimeout", options.PartitionTableOperationTimeout),
                 })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{DurableTaskOptions.SectionName}:{setting} must be positive.");
            }
        }

        if (options.MaxConcurrentActivities < 0)
        {
            failures.Add($"{DurableTaskOptions.SectionName}:MaxConcurrentActivities must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
