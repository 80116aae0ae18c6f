using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Arcp.Runtime.Jobs;

namespace Arcp.Azure.Jobs;

/// <summary>
/// The byte layout of an event page: a JSON array of <c>{"i":index,"id":msgId,"t":type,"ts":time,"p":payload}</c>,
/// where an event whose payload lives in Blob storage has <c>"b":blobName</c> instead of <c>"p"</c>.
/// </summary>
internal static class JobEventPageCodec
{
    private static readonly JsonWriterOptions s_writerOptions = new() { SkipValidation = false, MaxDepth = MaxPageDepth };

    /// <summary>
    /// The page adds two levels (array, event object) above each payload; payloads themselves are bounded by the
    /// writer of the event, not by the envelope parser's 64. Reading with the default depth would refuse pages the
    /// writer produced, and with them every later read of the job.
    /// </summary>
    private const int MaxPageDepth = 1024 + 2;

    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = MaxPageDepth };

    /// <summary>An event to store: inline, or with its payload moved to <paramref name="BlobName"/>.</summary>
    public readonly record struct PageItem(StoredJobEvent Event, string? BlobName);

    /// <summary>Encodes one event, to size pages before packing them.</summary>
    public static int EstimateSize(StoredJobEvent e) => Encoding.UTF8.GetByteCount(e.PayloadJson) + e.Type.Length + e.MessageId.Length + 80;

    public static byte[] Encode(IReadOnlyList<PageItem> items)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartArray();
            foreach (var (e, blob) in items)
            {
                writer.WriteStartObject();
                writer.WriteNumber("i", e.Index);
                writer.WriteString("id", e.MessageId);
                writer.WriteString("t", e.Type);
                writer.WriteString("ts", e.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                if (blob is null)
                {
                    writer.WritePropertyName("p");
                    writer.WriteRawValue(e.PayloadJson, skipInputValidation: true);
                }
                else
                {
                    writer.WriteString("b", blob);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a page; events in Blob storage come back with a null payload and their blob name.</summary>
    public static List<PageItem> Decode(ReadOnlySpan<byte> data)
    {
        var items = new List<PageItem>();
        var reader = new Utf8JsonReader(data, s_readerOptions);
        using var document = JsonDocument.ParseValue(ref reader);
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var blob = element.TryGetProperty("b", out var b) ? b.GetString() : null;
            var payload = blob is null ? element.GetProperty("p").GetRawText() : "";
            var e = new StoredJobEvent(
                element.GetProperty("i").GetInt64(),
                element.GetProperty("t").GetString()!,
                payload,
                DateTimeOffset.Parse(element.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                element.GetProperty("id").GetString()!);
            items.Add(new PageItem(e, blob));
        }

        return items;
    }
}
