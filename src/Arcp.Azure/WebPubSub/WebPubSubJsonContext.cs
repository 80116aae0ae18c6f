using System.Text.Json.Serialization;

namespace Arcp.Azure.WebPubSub;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class WebPubSubJsonContext : JsonSerializerContext;
