using System.Text;
using System.Text.RegularExpressions;
using Arcp.Testing.Faults;

namespace Arcp.Benchmarks.Cost;

/// <summary>
/// Classifies a storage REST request (as the proxy saw it) into a <see cref="StorageOperation"/>. Ours and Durable's
/// are told apart by name: the runtime's tables start with its table prefix and its container is
/// <c>{prefix}-payloads</c>; the task hub's tables, queues and containers start with the hub name.
/// </summary>
internal sealed partial class StorageRequestClassifier
{
    private readonly string _tablePrefix;
    private readonly string _hub;

    public StorageRequestClassifier(string tablePrefix, string taskHubName)
    {
        ArgumentException.ThrowIfNullOrEmpty(tablePrefix);
        ArgumentException.ThrowIfNullOrEmpty(taskHubName);
        _tablePrefix = tablePrefix.ToLowerInvariant();
        _hub = taskHubName.ToLowerInvariant();
    }

    public StorageOperation Classify(ObservedStorageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (path, query) = Split(request.RawTarget);

        // Path-style URLs: /{account}/{resource}[/{rest}]; the account segment is dropped.
        var segments = path.Trim('/').Split('/', 3);
        var resource = segments.Length > 1 ? Uri.UnescapeDataString(segments[1]) : string.Empty;
        var rest = segments.Length > 2 ? segments[2] : string.Empty;
        return request.Service switch
        {
            StorageService.Table => Table(request, resource, query),
            StorageService.Queue => Queue(request.Method, resource, rest, query),
            _ => Blob(request.Method, resource, rest, query),
        };
    }

    private StorageOperation Table(ObservedStorageRequest request, string resource, string query)
    {
        if (resource == "$batch")
        {
            var body = request.Body is null ? string.Empty : Encoding.UTF8.GetString(request.Body);
            var lines = BatchOperation().Matches(body);
            var table = lines.Count > 0 ? TableName(Split(new Uri(lines[0].Groups[2].Value).AbsolutePath).Path.Trim('/').Split('/').Last()) : "?";
            var (owner, name) = Owned(table);
            return new StorageOperation(owner, StorageService.Table, name, "batch", true, lines.Count, Partition(Uri.UnescapeDataString(body)));
        }

        if (resource.Equals("Tables", StringComparison.OrdinalIgnoreCase) || resource.StartsWith("Tables(", StringComparison.OrdinalIgnoreCase))
        {
            var tableName = resource.StartsWith("Tables(", StringComparison.OrdinalIgnoreCase) ? resource[8..^2] : TableInBody(request.Body);
            var (o, n) = Owned(tableName);
            return new StorageOperation(o, StorageService.Table, n, request.Method switch { "POST" => "create table", "DELETE" => "delete table", _ => "list tables" }, request.Method != "GET", 0, null);
        }

        var (own, named) = Owned(TableName(resource));
        var keyed = resource.Contains("PartitionKey=", StringComparison.Ordinal);
        var (operation, write) = request.Method switch
        {
            "GET" => (keyed ? "get entity" : "query", false),
            "POST" => ("insert", true),
            "PUT" => ("upsert", true),
            "MERGE" or "PATCH" => ("merge", true),
            "DELETE" => ("delete", true),
            _ => (request.Method.ToLowerInvariant(), false),
        };
        var partition = write ? Partition(resource) ?? Partition(request.Body is null ? string.Empty : Encoding.UTF8.GetString(request.Body)) : null;
        return new StorageOperation(own, StorageService.Table, named, operation, write, write ? 1 : 0, partition);
    }

    private StorageOperation Queue(string method, string queue, string rest, string query)
    {
        var (owner, name) = Owned(queue);
        name = ControlQueue().Replace(name, "control-NN");
        var messages = rest.StartsWith("messages", StringComparison.Ordinal);
        var one = rest.StartsWith("messages/", StringComparison.Ordinal);
        var (operation, write) = (method, messages, one) switch
        {
            ("GET", true, _) => (query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase) ? "peek messages" : "get messages", true),
            ("POST", true, _) => ("put message", true),
            ("DELETE", true, true) => ("delete message", true),
            ("PUT", true, true) => ("update message", true),
            ("DELETE", true, false) => ("clear messages", true),
            ("PUT", false, _) => (query.Contains("comp=metadata", StringComparison.OrdinalIgnoreCase) ? "set metadata" : "create queue", true),
            ("DELETE", false, _) => ("delete queue", true),
            _ => ("get properties", false),
        };
        return new StorageOperation(owner, StorageService.Queue, name, operation, write, write ? 1 : 0, null);
    }

    private StorageOperation Blob(string method, string container, string rest, string query)
    {
        var (owner, name) = Owned(container);
        var comp = Comp(query);
        var blob = rest.Length > 0;
        var (operation, write) = (method, comp, blob) switch
        {
            ("PUT", "lease", _) => ("lease", true),
            ("PUT", null, true) => ("put blob", true),
            ("PUT", "block" or "blocklist", true) => ("put block", true),
            ("PUT", null, false) => ("create container", true),
            ("DELETE", _, true) => ("delete blob", true),
            ("DELETE", _, false) => ("delete container", true),
            ("GET", "list", _) => ("list blobs", false),
            ("GET", null, true) => ("get blob", false),
            ("HEAD", _, _) or ("GET", "metadata" or "properties", _) => ("get properties", false),
            _ => ($"{method.ToLowerInvariant()} {comp}".Trim(), method != "GET"),
        };
        return new StorageOperation(owner, StorageService.Blob, name, operation, write, write ? 1 : 0, null);
    }

    /// <summary>Which side owns a name, and the name without the prefix or hub name.</summary>
    private (StorageOwner Owner, string Name) Owned(string name)
    {
        var lower = name.ToLowerInvariant();
        if (lower.StartsWith(_hub, StringComparison.Ordinal))
        {
            return (StorageOwner.Durable, lower[_hub.Length..].TrimStart('-'));
        }

        return lower.StartsWith(_tablePrefix, StringComparison.Ordinal)
            ? (StorageOwner.Arcp, lower[_tablePrefix.Length..].TrimStart('-'))
            : (StorageOwner.Other, lower);
    }

    private static string TableName(string resource)
    {
        var paren = resource.IndexOf('(', StringComparison.Ordinal);
        return paren < 0 ? resource : resource[..paren];
    }

    private static string TableInBody(byte[]? body)
    {
        var match = body is null ? null : TableNameProperty().Match(Encoding.UTF8.GetString(body));
        return match is { Success: true } ? match.Groups[1].Value : string.Empty;
    }

    private static string? Partition(string text)
    {
        var keyed = PartitionInUrl().Match(text);
        if (keyed.Success)
        {
            return keyed.Groups[1].Value;
        }

        var property = PartitionProperty().Match(text);
        return property.Success ? property.Groups[1].Value : null;
    }

    private static string? Comp(string query)
    {
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("comp=", StringComparison.OrdinalIgnoreCase))
            {
                return pair[5..].ToLowerInvariant();
            }
        }

        return null;
    }

    private static (string Path, string Query) Split(string target)
    {
        var q = target.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? (target, string.Empty) : (target[..q], target[(q + 1)..]);
    }

    [GeneratedRegex(@"^(POST|PUT|MERGE|PATCH|DELETE|GET) (\S+) HTTP/1\.1", RegexOptions.Multiline)]
    private static partial Regex BatchOperation();

    [GeneratedRegex(@"PartitionKey='((?:[^']|'')*)'")]
    private static partial Regex PartitionInUrl();

    [GeneratedRegex("\"PartitionKey\"\\s*:\\s*\"([^\"]*)\"")]
    private static partial Regex PartitionProperty();

    [GeneratedRegex("\"TableName\"\\s*:\\s*\"([^\"]*)\"")]
    private static partial Regex TableNameProperty();

    [GeneratedRegex(@"^control-\d+$")]
    private static partial Regex ControlQueue();
}
