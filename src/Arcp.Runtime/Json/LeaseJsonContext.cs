using System.Text.Json.Serialization;

namespace Arcp.Runtime.Json;

/// <summary>Source-generated JSON for what the runtime stores as JSON text (lease maps).</summary>
[JsonSerializable(typeof(Dictionary<string, List<string>>))]
[JsonSourceGenerationOptions(WriteIndented = false)]
internal sealed partial class LeaseJsonContext : JsonSerializerContext;
