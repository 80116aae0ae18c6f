using System.Collections.Concurrent;
using System.Text;
using Arcp.Azure.Storage;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Arcp.Testing;

/// <summary>
/// Records every storage request a client sends (add it per retry, so the client's own retries are seen too): the
/// HTTP method, the path and, for an entity-group transaction, the tables it touches. Counts what a code path costs in
/// round trips and in billed storage transactions.
/// </summary>
public sealed class StorageRequestCounter : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<StorageRequest> _requests = new();

    /// <summary>Everything recorded since the last <see cref="Reset"/>, in send order.</summary>
    public IReadOnlyList<StorageRequest> Requests => [.. _requests];

    /// <summary>This counter wrapped for the runtime's DI seam (per retry).</summary>
    public StorageClientPolicy ForRuntime() => new(this, HttpPipelinePosition.PerRetry);

    /// <summary>The runtime's storage under <paramref name="prefix"/>, with every table request counted here.</summary>
    public ArcpStorage CountedStorage(string connectionString, string prefix)
    {
        var options = new TableClientOptions();
        options.AddPolicy(this, HttpPipelinePosition.PerRetry);
        return new ArcpStorage(new TableServiceClient(connectionString, options), new BlobServiceClient(connectionString), prefix);
    }

    /// <summary>Forgets what was recorded.</summary>
    public void Reset() => _requests.Clear();

    /// <summary>Requests that touched a table whose name ends with <paramref name="tableSuffix"/>.</summary>
    public IReadOnlyList<StorageRequest> Touching(string tableSuffix) => [.. _requests.Where(r => r.Tables.Any(t => t.EndsWith(tableSuffix, StringComparison.Ordinal)))];

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Record(HttpMessage message)
    {
        var path = message.Request.Uri.Path;
        var tables = new List<string>();
        if (path.EndsWith("$batch", StringComparison.Ordinal) && message.Request.Content is { } content)
        {
            using var body = new MemoryStream();
            content.WriteTo(body, CancellationToken.None);
            foreach (var line in Encoding.UTF8.GetString(body.ToArray()).Split('\n'))
            {
                // Each part's request line: "PUT http://host/account/table(PartitionKey='p',RowKey='r') HTTP/1.1".
                var parts = line.Split(' ');
                if (parts.Length >= 3 && parts[^1].StartsWith("HTTP/", StringComparison.Ordinal) && Uri.TryCreate(parts[1], UriKind.Absolute, out var uri))
                {
                    tables.Add(TableOf(uri.AbsolutePath));
                }
            }
        }
        else
        {
            tables.Add(TableOf(path));
        }

        var filter = System.Web.HttpUtility.ParseQueryString(message.Request.Uri.Query)["$filter"] ?? "";
        _requests.Enqueue(new StorageRequest(message.Request.Method.Method, path, [.. tables.Distinct()], filter));
    }

    private static string TableOf(string path)
    {
        var last = path.TrimEnd('/').Split('/')[^1];
        var paren = last.IndexOf('(', StringComparison.Ordinal);
        return paren >= 0 ? last[..paren] : last;
    }
}

/// <summary>One recorded storage request: method, path, the tables it touched (several parts of a transaction count once) and a query's filter.</summary>
public sealed record StorageRequest(string Method, string Path, IReadOnlyList<string> Tables, string Filter = "")
{
    /// <summary>An entity-group transaction.</summary>
    public bool IsBatch => Path.EndsWith("$batch", StringComparison.Ordinal);

    /// <summary>A query not confined to one partition: the server reads across the whole table.</summary>
    public bool IsTableScan => Method == "GET" && Path.EndsWith("()", StringComparison.Ordinal) && !Filter.Contains("PartitionKey eq", StringComparison.Ordinal);
}
