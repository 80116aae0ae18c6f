using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace HelloAgents;

[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class HelloJsonContext : JsonSerializerContext;
