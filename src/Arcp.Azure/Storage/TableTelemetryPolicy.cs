using System.Diagnostics;
using Arcp.Runtime.Telemetry;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace Arcp.Azure.Storage;

/// <summary>
/// One span per Table service request (table, operation), a child of whatever runs: a session message, a job run.
/// The table comes from the request path; a transaction (<c>$batch</c>) names no table there, so the adapters submit
/// transactions through <see cref="TableTelemetry.SubmitTracedTransactionAsync"/>, which passes the table along.
/// </summary>
public sealed class TableTelemetryPolicy : HttpPipelinePolicy
{
    internal static readonly AsyncLocal<string?> TransactionTable = new();

    /// <summary>Client options with this policy added.</summary>
    public static TableClientOptions WithTelemetry(TableClientOptions? options = null)
    {
        options ??= new TableClientOptions();
        options.AddPolicy(new TableTelemetryPolicy(), HttpPipelinePosition.PerCall);
        return options;
    }

    /// <inheritdoc />
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        using var activity = Start(message);
        try
        {
            ProcessNext(message, pipeline);
            Complete(activity, message);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    /// <inheritdoc />
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        using var activity = Start(message);
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            Complete(activity, message);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    private static Activity? Start(HttpMessage message)
    {
        if (!ArcpTelemetry.Source.HasListeners())
        {
            return null;
        }

        var (table, operation) = Describe(message.Request);
        return ArcpTelemetry.StartStorageCall(table, operation);
    }

    private static void Complete(Activity? activity, HttpMessage message)
    {
        if (activity is null || !message.HasResponse)
        {
            return;
        }

        var status = message.Response.Status;
        activity.SetTag(ArcpTelemetry.Tags.StatusCode, status);
        // 404, 409 and 412 are answers the adapters act on (missing row, lost race), not failures.
        if (status >= 500 || status is 400 or 401 or 403)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>The table and operation of a Table service request.</summary>
    internal static (string Table, string Operation) Describe(Request request)
    {
        var path = request.Uri.Path.TrimEnd('/');
        var last = path[(path.LastIndexOf('/') + 1)..];
        if (last == "$batch")
        {
            return (TransactionTable.Value ?? "unknown", "transaction");
        }

        var paren = last.IndexOf('(', StringComparison.Ordinal);
        var name = Uri.UnescapeDataString(paren < 0 ? last : last[..paren]);
        var keys = paren < 0 ? string.Empty : last[(paren + 1)..];
        if (name == "Tables")
        {
            // Tables('name') or Tables
            var table = keys.Trim(')', '\'');
            return (table.Length == 0 ? "Tables" : table, request.Method == RequestMethod.Post ? "create_table" : request.Method == RequestMethod.Delete ? "delete_table" : "list_tables");
        }

        var hasKeys = keys.Contains("PartitionKey", StringComparison.Ordinal);
        var conditional = request.Headers.TryGetValue("If-Match", out _);
        var method = request.Method.Method;
        var operation = method switch
        {
            "GET" => hasKeys ? "get" : "query",
            "POST" => "insert",
            "PUT" => conditional ? "update" : "upsert",
            "PATCH" or "MERGE" => conditional ? "merge" : "upsert_merge",
            "DELETE" => "delete",
            _ => method.ToLowerInvariant(),
        };
        return (name, operation);
    }
}

/// <summary>Traced Table calls the request path cannot describe on its own.</summary>
public static class TableTelemetry
{
    /// <summary><see cref="TableClient.SubmitTransactionAsync"/>, with the table named on its span.</summary>
    public static async Task<Response<IReadOnlyList<Response>>> SubmitTracedTransactionAsync(this TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        TableTelemetryPolicy.TransactionTable.Value = table.Name;
        return await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
    }
}
