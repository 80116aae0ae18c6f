using System.Globalization;
using Arcp.Testing.WebPubSub;

// A local Azure Web PubSub: clients connect here, events go to the host's /api/webpubsub, the host's REST calls come
// back here. Prints the host settings that match, then runs until Ctrl+C.
var options = new WebPubSubStandInOptions { ConsoleLogging = true };
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--urls":
            options.Urls = Value();
            break;
        case "--upstream":
            options.UpstreamUrl = new Uri(Value());
            break;
        case "--access-key":
            options.AccessKey = Value();
            break;
        case "--secondary-key":
            options.SecondaryKey = Value();
            break;
        case "--hub":
            options.Hub = Value();
            break;
        case "--rest-latency-ms":
            options.RestLatency = TimeSpan.FromMilliseconds(int.Parse(Value(), CultureInfo.InvariantCulture));
            break;
        case "--entra":
            options.Entra = true;
            break;
        case "--upstream-audience":
            options.UpstreamAudience = Value();
            break;
        default:
            await Console.Error.WriteLineAsync(
                $"unknown argument {args[i]}\nusage: --urls http://127.0.0.1:PORT --upstream http://127.0.0.1:HOSTPORT/api/webpubsub " +
                "--access-key KEY [--secondary-key KEY] [--hub arcp] [--rest-latency-ms N] [--entra] [--upstream-audience api://…]");
            return 2;
    }
}

if (options.UpstreamUrl is null)
{
    await Console.Error.WriteLineAsync("--upstream is required (the host's /api/webpubsub URL)");
    return 2;
}

await using var service = await WebPubSubStandIn.StartAsync(options);
Console.WriteLine($"Web PubSub stand-in listening on {service.Endpoint}, hub '{service.Hub}', {(service.Entra ? "Entra ID" : "access keys")}; upstream {service.UpstreamUrl}");
Console.WriteLine("Host settings:");
foreach (var setting in service.HostSettings())
{
    Console.WriteLine("  " + setting);
}

foreach (var (name, value) in service.HostEnvironment())
{
    Console.WriteLine($"  env {name}={value}");
}

Console.WriteLine("ready");
// The app's console lifetime turns Ctrl+C and SIGTERM into a shutdown.
await service.WaitForShutdownAsync();
return 0;
