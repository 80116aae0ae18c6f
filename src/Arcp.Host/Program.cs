using Arcp.Host;

var app = ArcpHostApplication.Build(args);
await app.RunAsync();
