using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Arcp.Azure.Jobs;
using Arcp.Azure.Storage;
using Arcp.Azure.Tests.Contracts;
using Arcp.Protocol.Envelopes;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;

namespace Arcp.Azure.Tests.Storage;

/// <summary>
/// Event pages keep each payload's bytes as serialized and delivery splices those bytes: pages written before that
/// change (payloads held as text, then encoded into the page) must read back to the same payload bytes and frames.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobEventPageFormatTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string[] _payloads =
    [
        """{"kind":"log","ts":"2026-05-13T10:00:00.123Z","body":{"level":"info","message":"héllo \"q\" \\ \n 🚀 日本"}}""",
        """{"kind":"tool_call","ts":"2026-05-13T10:00:00.123Z","body":{"tool":"t","args":{"x":[1,2.5e-3,null,true,{"<&>":"+"}]}}}""",
        """{"final_status":"success","job_id":"job_01HZX4Q9B3","result":{"ok":true}}""",
    ];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 13, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));
    private ArcpStorage _storage = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        _storage = new ArcpStorage(azurite.ConnectionString, "f" + Guid.NewGuid().ToString("N")[..12]);
        await _storage.EnsureCreatedAsync(CancellationToken.None);
    }

    async Task IAsyncLifetime.DisposeAsync() => await _storage.DeleteAllAsync(CancellationToken.None);

    [Fact]
    public void Encode_PayloadBytes_SamePageAsTheTextEncoder()
    {
        // Arrange
        var events = Events();

        // Act
        var page = JobEventPageCodec.Encode([.. events.Select(e => new JobEventPageCodec.PageItem(e, null))]);

        // Assert: the stored format did not change.
        Assert.Equal(Encoding.UTF8.GetString(LegacyEncode(events, blobIndex: null, blobName: null)), Encoding.UTF8.GetString(page));
    }

    [Fact]
    public async Task ReadEvents_PageAndBlobWrittenByTheTextEncoder_SamePayloadBytesAndFrames()
    {
        // Arrange: a page row and a blob payload as the previous build wrote them, straight into storage.
        var jobId = "job_" + Guid.NewGuid().ToString("N");
        var events = Events();
        var blobName = $"{jobId}/2";
        await _storage.Payloads.GetBlobClient(blobName).UploadAsync(BinaryData.FromString(events[1].PayloadJson), overwrite: true);
        var page = new TableEntity(jobId, "e:" + TableKeys.Padded(events[^1].Index)) { ["First"] = 1L, ["Count"] = events.Count };
        ChunkedBinary.Write(page, LegacyEncode(events, blobIndex: 2, blobName));
        await _storage.Jobs.AddEntityAsync(page);
        using var store = new TableJobStore(_storage, _time);

        // Act
        var read = Assert.IsType<JobEventRead.Events>(await store.ReadEventsAsync(jobId, 1, 10, default));

        // Assert
        Assert.Equal(events.Count, read.Items.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var (expected, actual) = (events[i], read.Items[i]);
            Assert.Equal((expected.Index, expected.Type, expected.MessageId, expected.Timestamp), (actual.Index, actual.Type, actual.MessageId, actual.Timestamp));
            Assert.True(expected.Payload.Span.SequenceEqual(actual.Payload.Span), $"payload {i}");
            var entry = new OutboxEntry(100 + i, jobId, actual.Index, "4bf92f3577b34da6a3ce929d0e0e4736", Redact: false, IsSubmitter: true);
            var legacyFrame = ArcpWriter.SerializeToUtf8Bytes(new ArcpMessage(expected.MessageId, expected.Type, new PreEncodedPayload(_payloads[i]))
            {
                SessionId = "sess_1",
                JobId = jobId,
                EventSeq = 100 + i,
                TraceId = entry.TraceId,
                Timestamp = expected.Timestamp,
            });
            Assert.Equal(Encoding.UTF8.GetString(legacyFrame), Encoding.UTF8.GetString(OutboxReader.Build("sess_1", entry, actual)));
        }
    }

    [Fact]
    public void Decode_PageWithoutAPayload_RefusedAsCorrupt() =>
        Assert.Throws<InvalidDataException>(() => JobEventPageCodec.Decode("""[{"i":1,"id":"msg_1","t":"job.event","ts":"2026-05-13T10:00:00.0000000Z"}]"""u8.ToArray()));

    private List<StoredJobEvent> Events() =>
        [.. _payloads.Select((p, i) => new StoredJobEvent(i + 1, i == 2 ? JobEventTypes.Result : JobEventTypes.Event, p, _time.GetUtcNow().AddMilliseconds(i), "msg_0" + i))];

    /// <summary>The page encoder of the previous build: payloads as text, transcoded into the page.</summary>
    private static byte[] LegacyEncode(IReadOnlyList<StoredJobEvent> events, long? blobIndex, string? blobName)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = 1026 }))
        {
            writer.WriteStartArray();
            foreach (var e in events)
            {
                writer.WriteStartObject();
                writer.WriteNumber("i", e.Index);
                writer.WriteString("id", e.MessageId);
                writer.WriteString("t", e.Type);
                writer.WriteString("ts", e.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                if (e.Index != blobIndex)
                {
                    writer.WritePropertyName("p");
                    writer.WriteRawValue(e.PayloadJson, skipInputValidation: true);
                }
                else
                {
                    writer.WriteString("b", blobName);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
