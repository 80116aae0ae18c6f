using Arcp.Functions;
using HelloAgents;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddArcp();
builder.Services.AddHelloAgents();
builder.Build().Run();
