using Arcp.Protocol.Events;
using Arcp.Protocol.Messages;

namespace Arcp.Client.Jobs;

/// <summary>
/// Collects the <c>result_chunk</c> events of one job and, at the terminal <c>job.result</c>, joins them in
/// <c>chunk_seq</c> order, checking that every chunk is there once, the last says <c>more:false</c>, and the id and
/// decoded size match what the result announces.
/// </summary>
internal sealed class ResultAssembler
{
    private readonly SortedDictionary<long, byte[]> _chunks = [];
    private string? _resultId;
    private bool _sawLast;
    private long _lastSeq = -1;
    private bool _text = true;

    public bool HasChunks => _chunks.Count > 0;

    public void Add(ResultChunkBody chunk)
    {
        _resultId ??= chunk.ResultId;
        if (!string.Equals(_resultId, chunk.ResultId, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"result_chunk for result {chunk.ResultId} while assembling {_resultId}.");
        }

        if (_sawLast)
        {
            throw new InvalidDataException($"result_chunk {chunk.ChunkSeq} after the final chunk.");
        }

        var data = chunk.Encoding == ResultChunkBody.Base64
            ? Convert.FromBase64String(chunk.Data)
            : System.Text.Encoding.UTF8.GetBytes(chunk.Data);
        if (!_chunks.TryAdd(chunk.ChunkSeq, data))
        {
            throw new InvalidDataException($"result_chunk {chunk.ChunkSeq} arrived twice.");
        }

        _text &= chunk.Encoding == ResultChunkBody.Utf8;
        if (!chunk.More)
        {
            _sawLast = true;
            _lastSeq = chunk.ChunkSeq;
        }
    }

    public JobOutcome Complete(string jobId, JobResult result)
    {
        if (result.ResultId is null)
        {
            return HasChunks
                ? throw new InvalidDataException("Chunks were streamed but job.result carries no result_id.")
                : new JobOutcome(jobId, JobStatus.Success) { Result = result.Result };
        }

        if (!string.Equals(result.ResultId, _resultId ?? result.ResultId, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"job.result names result {result.ResultId}, the chunks were for {_resultId}.");
        }

        if (!_sawLast || _chunks.Count != _lastSeq + 1 || _chunks.Keys.First() != 0)
        {
            throw new InvalidDataException($"Streamed result {result.ResultId} is incomplete: {_chunks.Count} chunks, final chunk {(_sawLast ? _lastSeq : "missing")}.");
        }

        var size = _chunks.Values.Sum(c => (long)c.Length);
        if (result.ResultSize is { } announced && announced != size)
        {
            throw new InvalidDataException($"Streamed result {result.ResultId} has {size} bytes, job.result announced {announced}.");
        }

        var joined = new byte[size];
        var offset = 0;
        foreach (var chunk in _chunks.Values)
        {
            chunk.CopyTo(joined, offset);
            offset += chunk.Length;
        }

        _chunks.Clear();
        return new JobOutcome(jobId, JobStatus.Success)
        {
            StreamedResult = joined,
            StreamedResultIsText = _text,
            ResultId = result.ResultId,
            Summary = result.Summary,
        };
    }
}
