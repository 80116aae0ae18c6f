using Arcp.Infra.Tests.Bicep;

namespace Arcp.Infra.Tests.Outputs;

[Collection(CompiledTemplateCollection.Name)]
public sealed class OutputTests(CompiledTemplateFixture fixture)
{
    private readonly ArmTemplate _main = fixture.Main;

    private string Output(string name)
    {
        Assert.True(_main.Outputs.TryGetProperty(name, out var output), $"Output '{name}' is missing.");
        Assert.Equal("string", output.GetProperty("type").GetString());
        return output.GetProperty("value").GetString()!;
    }

    [Fact]
    public void NegotiateUrl_Output_IsHttpsAppHostApiNegotiate()
    {
        // Act
        var value = Output("negotiateUrl");

        // Assert
        var host = _main.Module("functionapp").OutputReference("defaultHostName");
        Assert.Equal($"[format('https://{{0}}/api/negotiate', {host})]", value);
    }

    [Fact]
    public void FunctionApp_Outputs_AreNameAndDefaultHostName()
    {
        // Act
        var name = Output("functionAppName");
        var host = Output("functionAppHostName");

        // Assert
        var module = _main.Module("functionapp");
        Assert.Equal($"[{module.OutputReference("functionAppName")}]", name);
        Assert.Equal($"[{module.OutputReference("defaultHostName")}]", host);
    }

    [Fact]
    public void WebPubSubEndpoint_Output_IsTheServiceEndpoint()
    {
        // Act
        var value = Output("webPubSubEndpoint");

        // Assert
        Assert.Equal($"[{_main.Module("webpubsub").OutputReference("endpoint")}]", value);
    }

    [Fact]
    public void UpstreamAudience_Output_MatchesWhatTheHubSends()
    {
        // Act
        var value = Output("upstreamAudience");

        // Assert
        Assert.Equal("[parameters('upstreamAudience')]", value);
    }

    [Fact]
    public void Identity_Outputs_AreClientIdAndPrincipalId()
    {
        // Act
        var clientId = Output("identityClientId");
        var principalId = Output("identityPrincipalId");

        // Assert
        Assert.Equal("[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('names').identity), '2024-11-30').clientId]", clientId);
        Assert.Equal("[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('names').identity), '2024-11-30').principalId]", principalId);
    }
}
