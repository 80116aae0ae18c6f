using System.Text;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;
using Arcp.Runtime.Jobs;

namespace Arcp.Runtime.Agents;

internal sealed partial class RuntimeJobContext
{
    /// <summary>The streamed result, once <see cref="StreamTextResultAsync"/> or <see cref="StreamBinaryResultAsync"/> finished.</summary>
    internal StreamedResult? Streamed { get; private set; }

    /// <summary>
    /// Streams the job's result as UTF-8 <c>result_chunk</c> events (§8.4): <c>chunk_seq</c> from 0, the last one with
    /// <c>more:false</c>, chunks above 1 MiB split. The terminal <c>job.result</c> then carries the <c>result_id</c>,
    /// the size and <paramref name="summary"/>, and the agent must return null. Needs <c>result_chunk</c> negotiated.
    /// </summary>
    public override Task StreamTextResultAsync(IAsyncEnumerable<string> chunks, string? summary = null) =>
        StreamAsync(SplitText(chunks), ResultChunkBody.Utf8, summary);

    /// <summary>Streams a binary result as base64 <c>result_chunk</c> events; see <see cref="StreamTextResultAsync"/>.</summary>
    public override Task StreamBinaryResultAsync(IAsyncEnumerable<ReadOnlyMemory<byte>> chunks, string? summary = null) =>
        StreamAsync(SplitBinary(chunks), ResultChunkBody.Base64, summary);

    private async Task StreamAsync(IAsyncEnumerable<(string Data, long DecodedBytes)> pieces, string encoding, string? summary)
    {
        if (!HasFeature("result_chunk"))
        {
            throw new ArcpException(ErrorCode.InvalidRequest, "The submitting session did not negotiate result_chunk; return the result inline.");
        }

        if (Streamed is not null)
        {
            throw new ArcpException(ErrorCode.InternalError, "The result was already streamed.");
        }

        var resultId = _ids.NewResultId();
        long chunkSeq = 0;
        long total = 0;
        (string Data, long Bytes)? held = null;
        await foreach (var piece in pieces.WithCancellation(CancellationToken).ConfigureAwait(false))
        {
            total += piece.DecodedBytes;
            if (total > MaxResultBytes)
            {
                throw new ArcpException(ErrorCode.InternalError, $"The streamed result exceeds {MaxResultBytes} bytes.");
            }

            // Hold one chunk back: only the last one says more:false, and we learn which is last at the end.
            if (held is { } previous)
            {
                await EmitChunkAsync(new ResultChunkBody(resultId, chunkSeq++, previous.Data, encoding, More: true), resultId, chunkSeq == 1).ConfigureAwait(false);
            }

            held = piece;
        }

        await EmitChunkAsync(new ResultChunkBody(resultId, chunkSeq, held?.Data ?? "", encoding, More: false), resultId, chunkSeq == 0).ConfigureAwait(false);
        Streamed = new StreamedResult(resultId, total, summary);
    }

    private Task EmitChunkAsync(ResultChunkBody chunk, string resultId, bool first) =>
        EmitRawAsync(chunk, first ? new JobProgress(ResultId: resultId) : null);

    private static async IAsyncEnumerable<(string, long)> SplitText(IAsyncEnumerable<string> chunks)
    {
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            var start = 0;
            var bytes = 0;
            for (var i = 0; i < chunk.Length; i++)
            {
                var pair = char.IsHighSurrogate(chunk[i]) && i + 1 < chunk.Length;
                var charBytes = pair ? 4 : chunk[i] < 0x80 ? 1 : chunk[i] < 0x800 ? 2 : 3;
                if (bytes + charBytes > MaxChunkBytes)
                {
                    yield return (chunk[start..i], bytes);
                    (start, bytes) = (i, 0);
                }

                bytes += charBytes;
                if (pair)
                {
                    i++;
                }
            }

            if (start < chunk.Length)
            {
                yield return (chunk[start..], bytes);
            }
        }
    }

    private static async IAsyncEnumerable<(string, long)> SplitBinary(IAsyncEnumerable<ReadOnlyMemory<byte>> chunks)
    {
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            for (var offset = 0; offset < chunk.Length; offset += MaxChunkBytes)
            {
                var piece = chunk.Slice(offset, Math.Min(MaxChunkBytes, chunk.Length - offset));
                yield return (Convert.ToBase64String(piece.Span), piece.Length);
            }
        }
    }

    /// <summary>What the terminal <c>job.result</c> of a streamed result says.</summary>
    internal sealed record StreamedResult(string ResultId, long Size, string? Summary);
}
