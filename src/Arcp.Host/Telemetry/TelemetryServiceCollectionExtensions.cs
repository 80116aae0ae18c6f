using Arcp.Runtime.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Arcp.Host.Telemetry;

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Exports the runtime's spans and metrics (<see cref="ArcpTelemetry.Name"/>): over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>Arcp:Telemetry:OtlpEndpoint</c> is set, to the console when
    /// <c>Arcp:Telemetry:Console=true</c>. With neither nothing is registered and spans cost nothing.
    /// </summary>
    public static IServiceCollection AddArcpTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlpFromEnvironment = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var otlpEndpoint = configuration["Arcp:Telemetry:OtlpEndpoint"];
        var otlp = otlpFromEnvironment || !string.IsNullOrWhiteSpace(otlpEndpoint);
        var console = configuration.GetValue<bool>("Arcp:Telemetry:Console");
        if (!otlp && !console)
        {
            return services;
        }

        void Otlp(OpenTelemetry.Exporter.OtlpExporterOptions options)
        {
            // The standard OTEL_EXPORTER_OTLP_* variables are read by the exporter itself; the setting only fills in.
            if (!otlpFromEnvironment && Uri.TryCreate(otlpEndpoint, UriKind.Absolute, out var endpoint))
            {
                options.Endpoint = endpoint;
            }
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "arcp-host"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(ArcpTelemetry.Name);
                if (otlp)
                {
                    tracing.AddOtlpExporter(Otlp);
                }

                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ArcpTelemetry.Name);
                if (otlp)
                {
                    metrics.AddOtlpExporter(Otlp);
                }

                if (console)
                {
                    metrics.AddConsoleExporter();
                }
            });
        return services;
    }
}
