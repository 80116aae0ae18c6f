using System.Globalization;
using System.Text;
using System.Text.Json;
using Arcp.Azure.Storage;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Storage;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

using Arcp.Protocol.Messages;

namespace Arcp.Azure.Jobs;

/// <summary>
/// <see cref="IJobStore"/> on Azure Tables. Partition = job id; rows <c>state</c>, <c>input</c>, event pages
/// <c>e:&lt;last index&gt;</c>, completed steps <c>s:&lt;name&gt;</c> and delegated children <c>c:&lt;job id&gt;</c>. A commit is one entity-group transaction {replace <c>state</c> If-Match, insert pages},
/// so an append, a claim or a terminal transition either happens whole or not at all. The sweeps find unfinished and
/// expired jobs through the sweep index (<see cref="SweepIndexRows"/>), written beside the create and the terminal commit.
/// </summary>
public sealed partial class TableJobStore(ArcpStorage storage, TimeProvider timeProvider, ILogger<TableJobStore>? logger = null) : JobStoreBase(timeProvider), IDisposable
{
    private const string StateRow = "state";
    private const string InputRow = "input";
    private const string PagePrefix = "e:";
    private const string PageEnd = "e;";
    private const string StepPrefix = "s:";
    private const string StepEnd = "s;";
    private const string ChildPrefix = "c:";
    private const string ChildEnd = "c;";

    /// <summary>Payloads larger than this go to Blob storage so a page always fits in one entity.</summary>
    internal const int MaxInlinePayloadBytes = ChunkedBinary.EntityCapacity - (16 * 1024);

    /// <summary>Estimated bytes of decoded events the last-pages cache holds at most (payloads can be up to 1 MiB each).</summary>
    internal const long PageCacheBytes = 16 * 1024 * 1024;
    private const int AppendedCacheEvents = 512;
    private readonly TableClient _table = storage.Jobs;
    private readonly SweepIndexRows _index = new(storage.SweepIndex, "job");
    private readonly SweepIndexBackfill _backfill = new(storage.SweepIndex, "jobs", TimeSpan.FromHours(24), timeProvider);
    private readonly ILogger _logger = logger ?? NullLogger<TableJobStore>.Instance;

    /// <summary>
    /// An open index row whose job does not exist is dropped only when older than this: the row is written beside
    /// the create, so a young one may belong to a create still in flight.
    /// </summary>
    private static readonly TimeSpan s_strayRowAge = TimeSpan.FromMinutes(10);
    private readonly MemoryCache _lastPages = new(new MemoryCacheOptions { SizeLimit = PageCacheBytes, TrackStatistics = true });

    /// <summary>Estimated bytes the last-pages cache holds now.</summary>
    internal long CachedPageBytes => _lastPages.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    /// <summary>Releases the last-pages cache.</summary>
    public void Dispose() => _lastPages.Dispose();

    /// <inheritdoc />
    protected override bool IsTransient(Exception exception) => StorageFaults.IsTransient(exception);

    /// <inheritdoc />
    /// <remarks>The job's open index row is written alongside, not before: the create costs one round trip.</remarks>
    public override async Task<bool> CreateAsync(JobDefinition definition, string inputJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(inputJson);
        var indexed = _index.OpenAsync(definition.JobId, cancellationToken);
        var created = CreateRowsAsync(definition, inputJson, cancellationToken);
        await Task.WhenAll(indexed, created).ConfigureAwait(false);
        return await created.ConfigureAwait(false);
    }

    private async Task<bool> CreateRowsAsync(JobDefinition definition, string inputJson, CancellationToken cancellationToken)
    {
        var state = new JobState { Definition = definition, Status = JobStatus.Pending, Budget = definition.InitialBudget, Version = "" };
        var input = new TableEntity(definition.JobId, InputRow);
        var inputBytes = Encoding.UTF8.GetBytes(inputJson);
        if (inputBytes.Length > MaxInlinePayloadBytes)
        {
            var blobName = $"{definition.JobId}/input";
            await storage.Payloads.GetBlobClient(blobName).UploadAsync(BinaryData.FromBytes(inputBytes), overwrite: true, cancellationToken).ConfigureAwait(false);
            input["Blob"] = blobName;
        }
        else
        {
            ChunkedBinary.Write(input, inputBytes);
        }

        try
        {
            var response = await _table.SubmitTracedTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, ToEntity(state)), new TableTransactionAction(TableTransactionActionType.Add, input)],
                cancellationToken).ConfigureAwait(false);
            if (response.Value[0].Headers.ETag is { } etag)
            {
                RememberCreated(state with { Version = etag.ToString() });
            }

            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override async Task<JobState?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(jobId, StateRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <inheritdoc />
    public override async Task<string?> GetInputAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(jobId, InputRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            return null;
        }

        if (response.Value!.GetString("Blob") is { } blobName)
        {
            var content = await storage.Payloads.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToString();
        }

        return Encoding.UTF8.GetString(ChunkedBinary.Read(response.Value));
    }

    /// <inheritdoc />
    public override async Task<JobEventRead> ReadEventsAsync(string jobId, long fromIndex, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromIndex);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);

        var events = new List<StoredJobEvent>();
        var next = fromIndex;
        if (_lastPages.TryGetValue(jobId, out DecodedPage? cached) && cached is not null && cached.First <= next && next <= cached.Last)
        {
            // Pages never change once written: a reader walking one page in batches decodes it once.
            foreach (var e in cached.Events)
            {
                if (e.Index >= next)
                {
                    events.Add(e);
                    if (events.Count == maxCount)
                    {
                        return new JobEventRead.Events(events);
                    }
                }
            }

            next = cached.Last + 1;
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {jobId} and RowKey ge {PagePrefix + TableKeys.Padded(next)} and RowKey lt {PageEnd}");
        await foreach (var page in _table.QueryAsync<TableEntity>(filter, maxPerPage: 16, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var decoded = new List<StoredJobEvent>();
            foreach (var (e, blob) in JobEventPageCodec.Decode(ChunkedBinary.Read(page)))
            {
                decoded.Add(blob is null ? e : e with { Payload = await ReadBlobAsync(blob, cancellationToken).ConfigureAwait(false) });
            }

            if (decoded.Count > 0)
            {
                Remember(jobId, new DecodedPage(decoded[0].Index, decoded[^1].Index, decoded));
            }

            foreach (var e in decoded)
            {
                if (e.Index < next)
                {
                    continue;
                }

                events.Add(e);
                if (events.Count == maxCount)
                {
                    return new JobEventRead.Events(events);
                }
            }
        }

        // The state row decides between "nothing there yet", "swept" and "no such job"; reading it only when the
        // pages did not start exactly at fromIndex keeps the common read to one query.
        if (events.Count == 0 || events[0].Index != fromIndex)
        {
            var state = await GetAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (state is null)
            {
                return new JobEventRead.NotFound();
            }

            if (fromIndex < state.EventFloor)
            {
                return new JobEventRead.WindowExpired(state.EventFloor);
            }
        }

        return new JobEventRead.Events(events);
    }

    /// <inheritdoc />
    public override Task RecordChildAsync(string parentJobId, string childJobId, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(parentJobId, ChildPrefix + childJobId), TableUpdateMode.Replace, cancellationToken);

    /// <inheritdoc />
    public override async Task<IReadOnlyList<string>> ListChildrenAsync(string parentJobId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {parentJobId} and RowKey ge {ChildPrefix} and RowKey lt {ChildEnd}");
        var children = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            children.Add(row.RowKey[ChildPrefix.Length..]);
        }

        return children;
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyDictionary<string, string>> GetCompletedStepsAsync(string jobId, CancellationToken cancellationToken)
    {
        var steps = new Dictionary<string, string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {jobId} and RowKey ge {StepPrefix} and RowKey lt {StepEnd}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            steps[row.GetString("Name")] = Encoding.UTF8.GetString(ChunkedBinary.Read(row));
        }

        return steps;
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<JobState>> ListNonTerminalAsync(int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var active = new List<JobState>();
        string? continuation = null;
        do
        {
            var page = await ListNonTerminalPageAsync(continuation, maxCount - active.Count, cancellationToken).ConfigureAwait(false);
            active.AddRange(page.Jobs);
            continuation = page.Continuation;
        }
        while (continuation is not null && active.Count < maxCount);

        return active;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads a page of the index's open rows and then each job's <c>state</c> row; rows of jobs that finished or
    /// never came to exist are tidied on the way. At the start of a pass, at most once a day per deployment, a full
    /// scan first re-adds rows a failed write left out.
    /// </remarks>
    public override async Task<JobStatePage> ListNonTerminalPageAsync(string? continuation, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (continuation is null && await _backfill.IsDueAsync(cancellationToken).ConfigureAwait(false))
        {
            await BackfillIndexAsync(cancellationToken).ConfigureAwait(false);
        }

        var page = await _index.ListOpenAsync(continuation, maxCount, cancellationToken).ConfigureAwait(false);
        var states = await ReadStatesAsync(page.Rows, cancellationToken).ConfigureAwait(false);
        var open = new List<JobState>(page.Rows.Count);
        var now = TimeProvider.GetUtcNow();
        for (var i = 0; i < page.Rows.Count; i++)
        {
            var row = page.Rows[i];
            switch (states[i])
            {
                case null when now - row.At > s_strayRowAge:
                    await _index.RemoveAsync(row, cancellationToken).ConfigureAwait(false);
                    break;
                case { } state when state.Status.IsTerminal():
                    // The terminal commit landed but its index write did not.
                    await _index.CloseAsync(row.Id, state.FinishedAt ?? now, cancellationToken).ConfigureAwait(false);
                    break;
                case { } state:
                    open.Add(state);
                    break;
            }
        }

        return new JobStatePage(open, page.Continuation);
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<JobState>> ListFinishedBeforeAsync(DateTimeOffset cutoff, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var rows = await _index.ListClosedBeforeAsync(cutoff, maxCount, cancellationToken).ConfigureAwait(false);
        var states = await ReadStatesAsync(rows, cancellationToken).ConfigureAwait(false);
        var finished = new List<JobState>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            if (states[i] is { } state && state.Status.IsTerminal() && state.EventFloor < state.NextEventIndex)
            {
                finished.Add(state);
            }
            else
            {
                // Gone, or its events were purged already: nothing left for retention to do.
                await _index.RemoveAsync(rows[i], cancellationToken).ConfigureAwait(false);
            }
        }

        return finished;
    }

    private async Task<JobState?[]> ReadStatesAsync(IReadOnlyList<SweepIndexRow> rows, CancellationToken cancellationToken)
    {
        var states = new JobState?[rows.Count];
        await Parallel.ForAsync(0, rows.Count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
            states[i] = await GetAsync(rows[i].Id, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return states;
    }

    /// <summary>The full scan: an open row for every unfinished job, a closed row for every finished one whose events are kept.</summary>
    private async Task BackfillIndexAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {StateRow}");
        var added = 0;
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "Status", "FinishedAt", "EventsRetained"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!JobStatuses.TryParse(row.GetString("Status"), out var status))
            {
                continue;
            }

            if (!status.IsTerminal())
            {
                await _index.OpenAsync(row.PartitionKey, cancellationToken).ConfigureAwait(false);
                added++;
            }
            else if (row.GetBoolean("EventsRetained") != false && row.GetDateTimeOffset("FinishedAt") is { } finishedAt)
            {
                // One write: an open row the job may still have is closed by the sweep that meets it.
                await _index.AddClosedAsync(row.PartitionKey, finishedAt, cancellationToken).ConfigureAwait(false);
                added++;
            }
        }

        await _backfill.CompletedAsync(cancellationToken).ConfigureAwait(false);
        LogBackfilled(_logger, added);
    }

    /// <inheritdoc />
    public override async Task<long> PurgeEventsAsync(string jobId, CancellationToken cancellationToken)
    {
        var state = await GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (state is null || !state.Status.IsTerminal() || state.EventFloor >= state.NextEventIndex)
        {
            return 0;
        }

        _lastPages.Remove(jobId);

        // Raise the floor first, so a reader never mistakes a half-deleted stream for a short one.
        var raised = await TryCommitAsync(state, state with { EventFloor = state.NextEventIndex }, [], [], cancellationToken).ConfigureAwait(false);
        if (raised is null)
        {
            return 0;
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {jobId} and RowKey ge {PagePrefix} and RowKey lt {PageEnd}");
        var deletes = new List<TableTransactionAction>();
        await foreach (var page in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            deletes.Add(new TableTransactionAction(TableTransactionActionType.Delete, page, ETag.All));
        }

        foreach (var batch in deletes.Chunk(100))
        {
            await _table.SubmitTracedTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        await foreach (var blob in storage.Payloads.GetBlobsAsync(global::Azure.Storage.Blobs.Models.BlobTraits.None, global::Azure.Storage.Blobs.Models.BlobStates.None, jobId + "/", cancellationToken).ConfigureAwait(false))
        {
            if (blob.Name != jobId + "/input")
            {
                await storage.Payloads.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        if (state.FinishedAt is { } finishedAt)
        {
            await _index.RemoveClosedAsync(jobId, finishedAt, cancellationToken).ConfigureAwait(false);
        }

        return state.NextEventIndex - state.EventFloor;
    }

    /// <inheritdoc />
    protected override async Task<JobState?> TryCommitAsync(JobState expected, JobState updated, IReadOnlyList<StoredJobEvent> events, IReadOnlyList<CompletedStep> steps, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, ToEntity(updated), new ETag(expected.Version)),
        };
        foreach (var step in steps)
        {
            var stepRow = new TableEntity(expected.JobId, StepPrefix + TableKeys.Escape(step.Name)) { ["Name"] = step.Name };
            ChunkedBinary.Write(stepRow, Encoding.UTF8.GetBytes(step.ResultJson));
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, stepRow));
        }

        foreach (var page in await PackPagesAsync(expected.JobId, events, cancellationToken).ConfigureAwait(false))
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, page));
        }

        try
        {
            var response = await _table.SubmitTracedTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            var etag = response.Value[0].Headers.ETag ?? throw new InvalidOperationException("The table service returned no ETag.");
            if (events.Count > 0)
            {
                RememberAppended(expected.JobId, events);
            }

            if (updated.Status.IsTerminal() && !expected.Status.IsTerminal())
            {
                await CloseIndexRowAsync(updated, cancellationToken).ConfigureAwait(false);
            }

            return updated with { Version = etag.ToString() };
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 or 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Moves the job's index row to the finished side. The terminal is already durable, so a failure here only
    /// leaves an open row that the next sweep closes; it must not turn a committed terminal into an error.
    /// </summary>
    private async Task CloseIndexRowAsync(JobState finished, CancellationToken cancellationToken)
    {
        try
        {
            await _index.CloseAsync(finished.JobId, finished.FinishedAt ?? TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException || IsTransient(ex))
        {
            LogIndexCloseFailed(_logger, ex, finished.JobId);
        }
    }

    [LoggerMessage(EventId = 6501, Level = LogLevel.Warning, Message = "Job {JobId} finished but its sweep index row was not moved; the next sweep moves it")]
    private static partial void LogIndexCloseFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 6502, Level = LogLevel.Information, Message = "Sweep index of jobs rebuilt from a full scan: {Rows} rows written")]
    private static partial void LogBackfilled(ILogger logger, int rows);

    private async Task<List<TableEntity>> PackPagesAsync(string jobId, IReadOnlyList<StoredJobEvent> events, CancellationToken cancellationToken)
    {
        var pages = new List<TableEntity>();
        var current = new List<JobEventPageCodec.PageItem>();
        var currentBytes = 0;
        foreach (var e in events)
        {
            var size = JobEventPageCodec.EstimateSize(e);
            string? blob = null;
            if (size > MaxInlinePayloadBytes)
            {
                blob = $"{jobId}/{e.Index}";
                await storage.Payloads.GetBlobClient(blob).UploadAsync(BinaryData.FromBytes(e.Payload), overwrite: true, cancellationToken).ConfigureAwait(false);
                size = 128;
            }

            if (current.Count > 0 && currentBytes + size > MaxInlinePayloadBytes)
            {
                pages.Add(ToPage(jobId, current));
                current = [];
                currentBytes = 0;
            }

            current.Add(new JobEventPageCodec.PageItem(e, blob));
            currentBytes += size;
        }

        if (current.Count > 0)
        {
            pages.Add(ToPage(jobId, current));
        }

        return pages;
    }

    private static TableEntity ToPage(string jobId, List<JobEventPageCodec.PageItem> items)
    {
        var page = new TableEntity(jobId, PagePrefix + TableKeys.Padded(items[^1].Event.Index))
        {
            ["First"] = items[0].Event.Index,
            ["Count"] = items.Count,
        };
        ChunkedBinary.Write(page, JobEventPageCodec.Encode(items));
        return page;
    }

    private void Remember(string jobId, DecodedPage page) => _lastPages.Set(jobId, page, new MemoryCacheEntryOptions { Size = page.Bytes });

    /// <summary>
    /// Keeps the events just written for readers on this node (the delivery of those very events), appended to the
    /// cached run when they continue it, so a reader that lags an append or two still skips the page query.
    /// </summary>
    private void RememberAppended(string jobId, IReadOnlyList<StoredJobEvent> events)
    {
        if (_lastPages.TryGetValue(jobId, out DecodedPage? cached) && cached is not null && cached.Last + 1 == events[0].Index && cached.Events.Count + events.Count <= AppendedCacheEvents)
        {
            Remember(jobId, new DecodedPage(cached.First, events[^1].Index, [.. cached.Events, .. events]));
            return;
        }

        Remember(jobId, new DecodedPage(events[0].Index, events[^1].Index, events));
    }

    private sealed record DecodedPage(long First, long Last, IReadOnlyList<StoredJobEvent> Events)
    {
        /// <summary>Estimated memory: the payload bytes (slices of the page they were read from), UTF-16 ids, a fixed cost per event.</summary>
        public long Bytes { get; } = Events.Sum(e => e.Payload.Length + ((long)e.MessageId.Length * 2) + 96);
    }

    private async Task<ReadOnlyMemory<byte>> ReadBlobAsync(string blobName, CancellationToken cancellationToken)
    {
        var content = await storage.Payloads.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return content.Value.Content.ToMemory();
    }

    private static TableEntity ToEntity(JobState s)
    {
        var d = s.Definition;
        return new TableEntity(d.JobId, StateRow)
        {
            ["Principal"] = d.Principal,
            ["SubmitterSessionId"] = d.SubmitterSessionId,
            ["Agent"] = d.Agent,
            ["Lease"] = d.LeaseJson,
            ["LeaseConstraints"] = d.LeaseConstraintsJson,
            ["ExpiresAt"] = d.ExpiresAt,
            ["MaxRuntimeSec"] = d.MaxRuntimeSec,
            ["TraceId"] = d.TraceId,
            ["ParentJobId"] = d.ParentJobId,
            ["CreatedAt"] = d.CreatedAt,
            ["InitialBudget"] = BudgetJson.Write(d.InitialBudget),
            ["Features"] = string.Join(' ', d.Features),
            ["Status"] = s.Status.ToWireName(),
            ["NextEventIndex"] = s.NextEventIndex,
            ["Sealed"] = s.Sealed,
            ["CancelRequested"] = s.CancelRequested,
            ["CancelReason"] = s.CancelReason,
            ["Owner"] = s.Owner,
            ["OwnerLeaseExpiresAt"] = s.OwnerLeaseExpiresAt,
            ["Attempt"] = s.Attempt,
            ["Handoffs"] = s.Handoffs,
            ["RecentCommits"] = string.Join(' ', s.RecentCommits),
            ["Budget"] = BudgetJson.Write(s.Budget),
            ["ResultId"] = s.ResultId,
            ["StartedAt"] = s.StartedAt,
            ["FinishedAt"] = s.FinishedAt,
            ["EventFloor"] = s.EventFloor,

            // Derived, only so the retention sweep can filter on it (a table query cannot compare two properties).
            ["EventsRetained"] = s.EventFloor < s.NextEventIndex,
        };
    }

    private static JobState FromEntity(TableEntity e)
    {
        var definition = new JobDefinition(
            e.PartitionKey,
            e.GetString("Principal"),
            e.GetString("SubmitterSessionId"),
            e.GetString("Agent"),
            e.GetString("Lease"),
            e.GetString("LeaseConstraints"),
            e.GetDateTimeOffset("ExpiresAt"),
            e.GetInt32("MaxRuntimeSec"),
            e.GetString("TraceId"),
            e.GetString("ParentJobId"),
            e.GetDateTimeOffset("CreatedAt") ?? default,
            BudgetJson.Read(e.GetString("InitialBudget")),
            (e.GetString("Features") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (!JobStatuses.TryParse(e.GetString("Status"), out var status))
        {
            throw new InvalidDataException($"Job {e.PartitionKey} has an unknown status.");
        }

        return new JobState
        {
            Definition = definition,
            Status = status,
            NextEventIndex = e.GetInt64("NextEventIndex") ?? 1,
            Sealed = e.GetBoolean("Sealed") ?? false,
            CancelRequested = e.GetBoolean("CancelRequested") ?? false,
            CancelReason = e.GetString("CancelReason"),
            Owner = e.GetString("Owner"),
            OwnerLeaseExpiresAt = e.GetDateTimeOffset("OwnerLeaseExpiresAt"),
            Attempt = e.GetInt32("Attempt") ?? 0,
            Handoffs = e.GetInt32("Handoffs") ?? 0,
            RecentCommits = (e.GetString("RecentCommits") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            Budget = BudgetJson.Read(e.GetString("Budget")),
            ResultId = e.GetString("ResultId"),
            StartedAt = e.GetDateTimeOffset("StartedAt"),
            FinishedAt = e.GetDateTimeOffset("FinishedAt"),
            EventFloor = e.GetInt64("EventFloor") ?? 1,
            Version = e.ETag.ToString(),
        };
    }

    /// <summary>Budgets as JSON strings of decimal text: a table property has no decimal type, and doubles lose cents.</summary>
    private static class BudgetJson
    {
        public static string Write(IReadOnlyDictionary<string, decimal> budget)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                foreach (var (currency, amount) in budget.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(currency, amount.ToString(CultureInfo.InvariantCulture));
                }

                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }

        public static Dictionary<string, decimal> Read(string? json)
        {
            var budget = new Dictionary<string, decimal>(StringComparer.Ordinal);
            if (string.IsNullOrEmpty(json))
            {
                return budget;
            }

            using var document = JsonDocument.Parse(json);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                budget[property.Name] = decimal.Parse(property.Value.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture);
            }

            return budget;
        }
    }
}
