using System.Text.Json;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;
using Arcp.Protocol.Ids;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;

namespace Arcp.Runtime.Agents;

/// <summary>
/// The runtime's <see cref="JobContext"/>: every event goes through the job's group-commit writer, durable steps are
/// stored with their events, budget counters travel with each append.
/// </summary>
internal sealed partial class RuntimeJobContext : JobContext
{
    private readonly JobEventWriter _writer;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;
    private readonly IReadOnlyDictionary<string, string> _completedSteps;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, decimal> _budget;
    private readonly AsyncLocal<List<NewJobEvent>?> _stepBuffer = new();

    private readonly Func<JobSubmit, CancellationToken, Task<SubmitOutcome>>? _submitChild;
    private readonly Credentials.CredentialService? _credentials;

    internal RuntimeJobContext(JobState state, JsonElement input, JobEventWriter writer, IReadOnlyDictionary<string, string> completedSteps, TimeProvider time, CancellationToken cancellationToken, Func<JobSubmit, CancellationToken, Task<SubmitOutcome>>? submitChild = null, Credentials.CredentialService? credentials = null)
    {
        _submitChild = submitChild;
        _credentials = credentials;
        _writer = writer;
        _time = time;
        _ids = new IdGenerator(time);
        _completedSteps = completedSteps;
        _budget = new Dictionary<string, decimal>(state.Budget, StringComparer.Ordinal);
        Definition = state.Definition;
        Attempt = state.Attempt;
        Input = input;
        CancellationToken = cancellationToken;
        Lease = JobLease.Parse(state.Definition.LeaseJson);
    }

    /// <summary>The job's fixed description.</summary>
    public JobDefinition Definition { get; }

    /// <inheritdoc />
    public override string JobId => Definition.JobId;

    /// <inheritdoc />
    public override string Agent => Definition.Agent;

    /// <inheritdoc />
    public override string TraceId => Definition.TraceId;

    /// <inheritdoc />
    public override JsonElement Input { get; }

    /// <inheritdoc />
    public override int Attempt { get; }

    /// <inheritdoc />
    public override LeaseRequest Lease { get; }

    /// <inheritdoc />
    public override DateTimeOffset? ExpiresAt => Definition.ExpiresAt;

    /// <inheritdoc />
    public override CancellationToken CancellationToken { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, decimal> Budget
    {
        get { lock (_gate) { return new Dictionary<string, decimal>(_budget, StringComparer.Ordinal); } }
    }

    /// <inheritdoc />
    public override bool HasFeature(string feature) => Definition.Features.Contains(feature, StringComparer.Ordinal);

    /// <inheritdoc />
    public override Task EmitAsync(EventBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Validate() is { } invalid)
        {
            throw new ArcpException(invalid);
        }

        if (body is ProgressBody && !HasFeature("progress"))
        {
            return Task.CompletedTask;
        }

        if (body is ResultChunkBody)
        {
            throw new ArcpException(ErrorCode.InvalidRequest, "Result chunks are written by StreamResultAsync.");
        }

        return body is MetricBody metric ? EmitMetricAsync(metric) : EmitRawAsync(body, progress: null);
    }

    /// <inheritdoc />
    public override Task FlushAsync() => _writer.FlushAsync();

    internal Task EmitRawAsync(EventBody body, JobProgress? progress)
    {
        var jobEvent = NewJobEvent.Of(body, _time.GetUtcNow(), _ids.NewMessageId());
        if (_stepBuffer.Value is { } buffer)
        {
            // Inside a durable step: the events wait for the step to finish and go out with its record.
            lock (buffer)
            {
                buffer.Add(jobEvent);
            }

            return Task.CompletedTask;
        }

        return _writer.EmitAsync(jobEvent, progress);
    }
}
