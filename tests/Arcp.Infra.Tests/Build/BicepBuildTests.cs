using System.Text.Json;
using Arcp.Infra.Tests.Bicep;

namespace Arcp.Infra.Tests.Build;

public sealed class BicepBuildTests
{
    private static readonly Dictionary<string, string?> AuthEnvironment = new()
    {
        ["ARCP_JWT_ISSUER"] = "https://issuer.test",
        ["ARCP_JWT_AUDIENCE"] = "arcp-clients",
        ["ARCP_JWT_SIGNING_KEYS"] = "test-signing-key",
        ["ARCP_UPSTREAM_AUDIENCE"] = "api://arcp-upstream",
    };

    [Fact]
    public async Task Build_MainTemplate_SucceedsWithoutDiagnostics()
    {
        // Act
        var result = await BicepCli.RunAsync(["build", RepoPaths.MainTemplate, "--stdout"]);

        // Assert
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(string.IsNullOrWhiteSpace(result.StandardError), result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(
            "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            json.RootElement.GetProperty("$schema").GetString());
    }

    [Fact]
    public async Task BuildParams_AuthSettingsInEnvironment_SucceedsWithThoseValues()
    {
        // Act
        var result = await BicepCli.RunAsync(["build-params", RepoPaths.MainParameters, "--stdout"], AuthEnvironment);

        // Assert
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(string.IsNullOrWhiteSpace(result.StandardError), result.ToString());
        using var output = JsonDocument.Parse(result.StandardOutput);
        using var parameters = JsonDocument.Parse(output.RootElement.GetProperty("parametersJson").GetString()!);
        var values = parameters.RootElement.GetProperty("parameters");
        Assert.Equal("https://issuer.test", values.GetProperty("jwtIssuer").GetProperty("value").GetString());
        Assert.Equal("arcp-clients", values.GetProperty("jwtAudience").GetProperty("value").GetString());
        Assert.Equal("test-signing-key", values.GetProperty("jwtSigningKeys").GetProperty("value").GetString());
        Assert.Equal("10.0", values.GetProperty("dotnetVersion").GetProperty("value").GetString());
        Assert.Equal("arcp", values.GetProperty("hubName").GetProperty("value").GetString());
    }

    [Fact]
    public async Task BuildParams_AuthSettingsMissing_FailsNamingEachVariable()
    {
        // Act
        var result = await BicepCli.RunAsync(["build-params", RepoPaths.MainParameters, "--stdout"]);

        // Assert
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ARCP_JWT_ISSUER", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("ARCP_JWT_AUDIENCE", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("ARCP_JWT_SIGNING_KEYS", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("ARCP_UPSTREAM_AUDIENCE", result.StandardError, StringComparison.Ordinal);
    }
}
