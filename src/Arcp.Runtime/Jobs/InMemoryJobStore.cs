using System.Collections.Concurrent;
using System.Globalization;

using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Jobs;

/// <summary>
/// <see cref="IJobStore"/> in process memory, for fast tests of higher layers. Held to the same contract tests as the
/// Azure Tables store; a per-job lock plays the role of the entity-group transaction.
/// </summary>
internal sealed class InMemoryJobStore(TimeProvider timeProvider) : JobStoreBase(timeProvider)
{
    private readonly ConcurrentDictionary<string, Partition> _jobs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public override Task<bool> CreateAsync(JobDefinition definition, string inputJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var state = new JobState
        {
            Definition = definition,
            Status = JobStatus.Pending,
            Budget = definition.InitialBudget,
            Version = "1",
        };
        var created = _jobs.TryAdd(definition.JobId, new Partition(state, inputJson));
        if (created)
        {
            RememberCreated(state);
        }

        return Task.FromResult(created);
    }

    /// <inheritdoc />
    public override Task<JobState?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!_jobs.TryGetValue(jobId, out var partition))
        {
            return Task.FromResult<JobState?>(null);
        }

        lock (partition)
        {
            return Task.FromResult<JobState?>(partition.State);
        }
    }

    /// <inheritdoc />
    public override Task<string?> GetInputAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(_jobs.TryGetValue(jobId, out var partition) ? partition.Input : null);

    /// <inheritdoc />
    public override Task<JobEventRead> ReadEventsAsync(string jobId, long fromIndex, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromIndex);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (!_jobs.TryGetValue(jobId, out var partition))
        {
            return Task.FromResult<JobEventRead>(new JobEventRead.NotFound());
        }

        lock (partition)
        {
            if (fromIndex < partition.State.EventFloor)
            {
                return Task.FromResult<JobEventRead>(new JobEventRead.WindowExpired(partition.State.EventFloor));
            }

            var items = partition.Events
                .Where(e => e.Index >= fromIndex)
                .Take(maxCount)
                .ToList();
            return Task.FromResult<JobEventRead>(new JobEventRead.Events(items));
        }
    }

    /// <inheritdoc />
    public override Task RecordChildAsync(string parentJobId, string childJobId, CancellationToken cancellationToken)
    {
        if (_jobs.TryGetValue(parentJobId, out var partition))
        {
            lock (partition)
            {
                partition.Children.Add(childJobId);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task<IReadOnlyList<string>> ListChildrenAsync(string parentJobId, CancellationToken cancellationToken)
    {
        if (!_jobs.TryGetValue(parentJobId, out var partition))
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        lock (partition)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. partition.Children.Order(StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc />
    public override Task<IReadOnlyDictionary<string, string>> GetCompletedStepsAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!_jobs.TryGetValue(jobId, out var partition))
        {
            return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());
        }

        lock (partition)
        {
            return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(partition.Steps, StringComparer.Ordinal));
        }
    }

    /// <inheritdoc />
    public override Task<IReadOnlyList<JobState>> ListFinishedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JobState>>(_jobs.Values
            .Select(p => { lock (p) { return p.State; } })
            .Where(s => s.Status.IsTerminal() && s.FinishedAt < cutoff && s.EventFloor < s.NextEventIndex)
            .Take(maxCount)
            .ToList());

    /// <inheritdoc />
    public override Task<IReadOnlyList<JobState>> ListNonTerminalAsync(int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var active = new List<JobState>();
        foreach (var partition in _jobs.Values)
        {
            lock (partition)
            {
                if (!partition.State.Status.IsTerminal())
                {
                    active.Add(partition.State);
                }
            }

            if (active.Count == maxCount)
            {
                break;
            }
        }

        return Task.FromResult<IReadOnlyList<JobState>>(active);
    }

    /// <inheritdoc />
    /// <remarks>Pages in job id order; the continuation is the last id returned.</remarks>
    public override Task<JobStatePage> ListNonTerminalPageAsync(string? continuation, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var page = _jobs
            .Where(kv => continuation is null || string.CompareOrdinal(kv.Key, continuation) > 0)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => { lock (kv.Value) { return kv.Value.State; } })
            .Where(s => !s.Status.IsTerminal())
            .Take(maxCount + 1)
            .ToList();
        return Task.FromResult(page.Count > maxCount
            ? new JobStatePage(page[..maxCount], page[maxCount - 1].JobId)
            : new JobStatePage(page, null));
    }

    /// <inheritdoc />
    public override Task<long> PurgeEventsAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!_jobs.TryGetValue(jobId, out var partition))
        {
            return Task.FromResult(0L);
        }

        lock (partition)
        {
            if (!partition.State.Status.IsTerminal() || partition.Events.Count == 0)
            {
                return Task.FromResult(0L);
            }

            long removed = partition.Events.Count;
            partition.Events.Clear();
            partition.State = partition.State with
            {
                EventFloor = partition.State.NextEventIndex,
                Version = NextVersion(partition.State.Version),
            };
            return Task.FromResult(removed);
        }
    }

    /// <inheritdoc />
    protected override Task<JobState?> TryCommitAsync(JobState expected, JobState updated, IReadOnlyList<StoredJobEvent> events, IReadOnlyList<CompletedStep> steps, CancellationToken cancellationToken)
    {
        if (!_jobs.TryGetValue(expected.JobId, out var partition))
        {
            return Task.FromResult<JobState?>(null);
        }

        lock (partition)
        {
            if (partition.State.Version != expected.Version)
            {
                return Task.FromResult<JobState?>(null);
            }

            partition.Events.AddRange(events);
            foreach (var step in steps)
            {
                partition.Steps[step.Name] = step.ResultJson;
            }
            partition.State = updated with { Version = NextVersion(expected.Version) };
            return Task.FromResult<JobState?>(partition.State);
        }
    }

    private static string NextVersion(string version) =>
        (long.Parse(version, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);

    private sealed class Partition(JobState state, string input)
    {
        public JobState State { get; set; } = state;

        public string Input { get; } = input;

        public List<StoredJobEvent> Events { get; } = [];

        public Dictionary<string, string> Steps { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Children { get; } = new(StringComparer.Ordinal);
    }
}
