using System.Buffers;
using System.Globalization;
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
    public static int EstimateSize(StoredJobEvent e) => e.Payload.Length + e.Type.Length + e.MessageId.Length + 80;

    public static byte[] Encode(IReadOnlyList<PageItem> items)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartArray();
            foreach (var (e, blob) in items)
            {
                writer.WriteStartObject();
                writer.WriteNumber("i"u8, e.Index);
                writer.WriteString("id"u8, e.MessageId);
                writer.WriteString("t"u8, e.Type);
                writer.WriteString("ts"u8, e.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                if (blob is null)
                {
                    // The payload's bytes as the agent's event was serialized: delivery splices exactly these.
                    writer.WritePropertyName("p"u8);
                    writer.WriteRawValue(e.Payload.Span, skipInputValidation: true);
                }
                else
                {
                    writer.WriteString("b"u8, blob);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Decodes a page; events in Blob storage come back with an empty payload and their blob name. Each payload is a
    /// slice of <paramref name="data"/> (its bytes as stored, not re-encoded), so the page stays alive as long as any
    /// of its events.
    /// </summary>
    public static List<PageItem> Decode(ReadOnlyMemory<byte> data)
    {
        var items = new List<PageItem>();
        var reader = new Utf8JsonReader(data.Span, s_readerOptions);
        Expect(ref reader, JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            long? index = null;
            string? id = null, type = null, blob = null;
            DateTimeOffset? timestamp = null;
            ReadOnlyMemory<byte>? payload = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("p"u8))
                {
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    payload = data[start..(int)reader.BytesConsumed];
                    continue;
                }

                var name = reader.ValueSpan;
                reader.Read();
                switch (name)
                {
                    case [(byte)'i']:
                        index = reader.GetInt64();
                        break;
                    case [(byte)'i', (byte)'d']:
                        id = reader.GetString();
                        break;
                    case [(byte)'t']:
                        type = Type(ref reader);
                        break;
                    case [(byte)'t', (byte)'s']:
                        timestamp = reader.TryGetDateTimeOffset(out var parsed) ? parsed : DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                        break;
                    case [(byte)'b']:
                        blob = reader.GetString();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (index is null || id is null || type is null || timestamp is null || (payload is null && blob is null))
            {
                throw new InvalidDataException("An event page holds an event without its index, id, type, time or payload.");
            }

            items.Add(new PageItem(new StoredJobEvent(index.Value, type, blob is null ? payload!.Value : ReadOnlyMemory<byte>.Empty, timestamp.Value, id), blob));
        }

        return items;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (!reader.Read() || reader.TokenType != token)
        {
            throw new InvalidDataException("An event page is not a JSON array of events.");
        }
    }

    /// <summary>The envelope types every event carries, shared instead of one string per decoded event.</summary>
    private static string Type(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals(JobEventTypes.Event) ? JobEventTypes.Event
        : reader.ValueTextEquals(JobEventTypes.Result) ? JobEventTypes.Result
        : reader.ValueTextEquals(JobEventTypes.Error) ? JobEventTypes.Error
        : reader.GetString()!;
}
