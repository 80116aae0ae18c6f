using System.Text.Encodings.Web;
using System.Text.Json;

namespace Arcp.Protocol.Json;

/// <summary>Shared serializer settings for ARCP frames.</summary>
internal static class ArcpJson
{
    /// <summary>Upper bound on JSON nesting accepted anywhere in a frame.</summary>
    public const int DefaultMaxDepth = 64;

    /// <summary>
    /// Compact output with relaxed escaping: frames travel over WebSocket text frames and stdio,
    /// never embedded in HTML, so '+' and non-ASCII text stay readable. The output is deterministic.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };
}
