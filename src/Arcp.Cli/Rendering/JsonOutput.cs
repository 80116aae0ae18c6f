using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Arcp.Client.Jobs;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;

namespace Arcp.Cli.Rendering;

/// <summary>The JSON the CLI prints: one compact object per line.</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteLine(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            write(writer);
        }

        Console.Out.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary><c>{job_id, event_seq, kind, ts, body}</c>.</summary>
    public static void Event(JobEventReceived e) => WriteLine(w =>
    {
        w.WriteStartObject();
        w.WriteString("job_id", e.JobId);
        w.WriteNumber("event_seq", e.EventSeq);
        w.WriteString("kind", e.Kind);
        w.WriteString("ts", e.Ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        w.WritePropertyName("body");
        e.RawBody.WriteTo(w);
        w.WriteEndObject();
    });

    /// <summary><c>{job_id, status, result}</c> or <c>{job_id, status, error}</c>.</summary>
    public static void Outcome(JobOutcome outcome) => WriteLine(w =>
    {
        w.WriteStartObject();
        w.WriteString("job_id", outcome.JobId);
        w.WriteString("status", outcome.Status.ToWireName());
        if (outcome.Error is { } error)
        {
            w.WriteStartObject("error");
            w.WriteString("code", error.Code.ToWireName());
            w.WriteString("message", error.Message);
            w.WriteBoolean("retryable", error.Retryable);
            if (error.Details is { } details)
            {
                w.WritePropertyName("details");
                details.WriteTo(w);
            }

            w.WriteEndObject();
        }
        else if (outcome.StreamedResult is { } bytes)
        {
            if (outcome.StreamedResultIsText)
            {
                w.WriteString("result", outcome.GetStreamedText());
            }
            else
            {
                w.WriteBase64String("result", bytes.Span);
                w.WriteString("result_encoding", "base64");
            }

            w.WriteString("result_id", outcome.ResultId);
            if (outcome.Summary is { } summary)
            {
                w.WriteString("summary", summary);
            }
        }
        else
        {
            w.WritePropertyName("result");
            if (outcome.Result is { } result)
            {
                result.WriteTo(w);
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndObject();
    });
}
