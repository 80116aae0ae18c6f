using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Events;

/// <summary><c>result_chunk</c> body <c>{result_id, chunk_seq, data, encoding, more}</c>; <c>encoding</c> is <c>utf8</c> or <c>base64</c>.</summary>
/// <param name="ResultId">Stable result id (<c>res_…</c>).</param>
/// <param name="ChunkSeq">0-based chunk index.</param>
/// <param name="Data">Chunk data in <paramref name="Encoding"/>.</param>
/// <param name="Encoding"><c>utf8</c> or <c>base64</c>.</param>
/// <param name="More">Whether more chunks follow.</param>
public sealed record ResultChunkBody(string ResultId, long ChunkSeq, string Data, string Encoding, bool More) : EventBody
{
    /// <summary>The <c>utf8</c> encoding.</summary>
    public const string Utf8 = "utf8";

    /// <summary>The <c>base64</c> encoding.</summary>
    public const string Base64 = "base64";

    /// <inheritdoc/>
    public override string GetKind() => EventKinds.ResultChunk;

    /// <inheritdoc/>
    public override ProtocolError? Validate() =>
        string.IsNullOrEmpty(ResultId) ? ProtocolError.InvalidRequest("result_chunk result_id must not be empty.", "body.result_id")
        : ChunkSeq < 0 ? ProtocolError.InvalidRequest("result_chunk chunk_seq must be >= 0.", "body.chunk_seq")
        : Encoding is not (Utf8 or Base64) ? ProtocolError.InvalidRequest("result_chunk encoding must be utf8 or base64.", "body.encoding")
        : Encoding == Base64 && !IsBase64(Data) ? ProtocolError.InvalidRequest("result_chunk data is not valid base64.", "body.data")
        : null;

    /// <summary>Returns the number of decoded bytes of <see cref="Data"/>.</summary>
    public long GetDecodedLength() =>
        Encoding == Base64 ? Convert.FromBase64String(Data).LongLength : System.Text.Encoding.UTF8.GetByteCount(Data);

    private static bool IsBase64(string data) => System.Buffers.Text.Base64.IsValid(data);
}
