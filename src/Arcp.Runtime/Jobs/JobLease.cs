using System.Text.Json;
using Arcp.Protocol.Leases;
using Arcp.Runtime.Json;

namespace Arcp.Runtime.Jobs;

/// <summary>The effective lease as stored in the job definition (a JSON object of namespace → patterns).</summary>
internal static class JobLease
{
    /// <summary>Serializes a lease map for storage.</summary>
    public static string ToJson(IReadOnlyDictionary<string, IReadOnlyList<string>> grants)
    {
        ArgumentNullException.ThrowIfNull(grants);
        var map = grants.ToDictionary(kv => kv.Key, kv => kv.Value.ToList(), StringComparer.Ordinal);
        return JsonSerializer.Serialize(map, LeaseJsonContext.Default.DictionaryStringListString);
    }

    /// <summary>Reads the stored lease map.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ReadGrants(string json)
    {
        var map = JsonSerializer.Deserialize(json, LeaseJsonContext.Default.DictionaryStringListString) ?? [];
        return map.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal);
    }

    /// <summary>Parses the stored lease; it was validated at submission, so a failure here is corrupt storage.</summary>
    public static LeaseRequest Parse(string json) =>
        LeaseRequest.TryParse(ReadGrants(json), out var lease, out var error)
            ? lease
            : throw new InvalidDataException($"Stored lease is invalid: {error.Message}");
}
