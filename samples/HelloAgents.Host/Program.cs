using Arcp.Host;
using HelloAgents;

var app = ArcpHostApplication.Build(args, services => services.AddHelloAgents());
await app.RunAsync();
