using System.Text.Json.Serialization;

namespace Arcp.Agents;

[JsonSerializable(typeof(Dictionary<string, long>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(int))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
