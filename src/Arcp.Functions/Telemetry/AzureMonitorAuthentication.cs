using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;

namespace Arcp.Functions.Telemetry;

/// <summary>
/// How the worker's Azure Monitor exporters authenticate. The template disables local (key) authentication on
/// Application Insights and sets <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> to
/// <c>ClientId=&lt;managed identity&gt;;Authorization=AAD</c>, as the Functions host reads it; the exporters must then
/// send Entra tokens of that identity, or the ingestion endpoint refuses every trace and metric.
/// </summary>
internal static class AzureMonitorAuthentication
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>Sets the connection string and, when Entra authentication is configured, the managed identity credential.</summary>
    public static void Apply(AzureMonitorExporterOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ConnectionString = configuration[ConnectionStringSetting];
        if (Credential(configuration[AuthenticationStringSetting]) is { } credential)
        {
            options.Credential = credential;
        }
    }

    /// <summary>
    /// The credential an authentication string asks for: <c>Authorization=AAD</c> with an optional <c>ClientId</c> of a
    /// user-assigned identity (the system-assigned one otherwise); null when it asks for none.
    /// </summary>
    public static TokenCredential? Credential(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString))
        {
            return null;
        }

        string? clientId = null;
        var aad = false;
        foreach (var part in authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                continue;
            }

            var key = part[..separator].Trim();
            var value = part[(separator + 1)..].Trim();
            if (key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                aad = value.Equals("AAD", StringComparison.OrdinalIgnoreCase);
            }
            else if (key.Equals("ClientId", StringComparison.OrdinalIgnoreCase) && value.Length > 0)
            {
                clientId = value;
            }
        }

        if (!aad)
        {
            return null;
        }

        return clientId is null
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }
}
