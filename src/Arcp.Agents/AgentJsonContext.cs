using System.Text.Json.Serialization;

namespace Arcp.Agents;

[JsonSerializable(typeof(Dictionary<string, long>))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
