using Arcp.Runtime.Telemetry;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Arcp.Functions.Telemetry;

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Exports the runtime's spans and metrics (<see cref="ArcpTelemetry.Name"/>) to Application Insights through the
    /// Azure Monitor exporter when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, and over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>Arcp:Telemetry:OtlpEndpoint</c> is set. With neither nothing is registered.
    /// The Azure Monitor exporters authenticate as <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> says (see
    /// <see cref="AzureMonitorAuthentication"/>).
    /// </summary>
    public static IServiceCollection AddArcpTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var applicationInsights = configuration[AzureMonitorAuthentication.ConnectionStringSetting];
        var azureMonitor = !string.IsNullOrWhiteSpace(applicationInsights);
        var otlpFromEnvironment = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var otlpEndpoint = configuration["Arcp:Telemetry:OtlpEndpoint"];
        var otlp = otlpFromEnvironment || !string.IsNullOrWhiteSpace(otlpEndpoint);
        if (!azureMonitor && !otlp)
        {
            return services;
        }

        void Otlp(OpenTelemetry.Exporter.OtlpExporterOptions options)
        {
            if (!otlpFromEnvironment && Uri.TryCreate(otlpEndpoint, UriKind.Absolute, out var endpoint))
            {
                options.Endpoint = endpoint;
            }
        }

        var serviceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name
            : configuration["WEBSITE_SITE_NAME"] is { Length: > 0 } site ? site
            : "arcp-functions";
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(ArcpTelemetry.Name);
                if (azureMonitor)
                {
                    tracing.AddAzureMonitorTraceExporter(options => AzureMonitorAuthentication.Apply(options, configuration));
                }

                if (otlp)
                {
                    tracing.AddOtlpExporter(Otlp);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ArcpTelemetry.Name);
                if (azureMonitor)
                {
                    metrics.AddAzureMonitorMetricExporter(options => AzureMonitorAuthentication.Apply(options, configuration));
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter(Otlp);
                }
            });
        return services;
    }
}
