using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Jobs;

/// <summary>
/// "Identical parameters" for idempotency (§7.2): the SHA-256 of a canonical JSON (object keys sorted, no whitespace)
/// of the agent as sent, input, lease request, lease constraints, max runtime and parent job.
/// </summary>
internal static class SubmitParameters
{
    /// <summary>The parameters hash of a submission.</summary>
    public static string Hash(JobSubmit submit)
    {
        ArgumentNullException.ThrowIfNull(submit);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("agent", submit.Agent);
            writer.WritePropertyName("input");
            WriteCanonical(writer, submit.Input);
            writer.WritePropertyName("lease_request");
            if (submit.LeaseRequest is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStartObject();
                foreach (var (ns, patterns) in submit.LeaseRequest.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    writer.WriteStartArray(ns);
                    foreach (var pattern in patterns)
                    {
                        writer.WriteStringValue(pattern);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteString("expires_at", submit.LeaseConstraints?.ExpiresAt);
            if (submit.MaxRuntimeSec is { } max)
            {
                writer.WriteNumber("max_runtime_sec", max);
            }
            else
            {
                writer.WriteNull("max_runtime_sec");
            }

            writer.WriteString("parent_job_id", submit.ParentJobId);
            writer.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>Writes <paramref name="value"/> with object keys in ordinal order at every depth.</summary>
    public static void WriteCanonical(Utf8JsonWriter writer, JsonElement? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is not { } element || element.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteNullValue();
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>The canonical text of a JSON value (tests, diagnostics).</summary>
    public static string Canonical(JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
