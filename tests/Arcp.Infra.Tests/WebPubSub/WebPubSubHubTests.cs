using System.Text.Json;
using Arcp.Infra.Tests.Bicep;

namespace Arcp.Infra.Tests.WebPubSub;

[Collection(CompiledTemplateCollection.Name)]
public sealed class WebPubSubHubTests(CompiledTemplateFixture fixture)
{
    private readonly ArmTemplate _main = fixture.Main;

    private ArmModule HubModule => _main.Module("webpubsub-hub");

    private JsonElement EventHandler
    {
        get
        {
            var hub = HubModule.Template.Resource("Microsoft.SignalRService/webPubSub/hubs");
            var handlers = hub.GetProperty("properties").GetProperty("eventHandlers");
            Assert.Equal(1, handlers.GetArrayLength());
            return handlers[0];
        }
    }

    [Fact]
    public void UrlTemplate_EventHandler_TargetsWebPubSubFunctionOnAppHost()
    {
        // Act
        var urlTemplate = EventHandler.GetProperty("urlTemplate").GetString();
        var hostPassed = HubModule.PassedValue("functionAppHostName");
        var functionApp = _main.Module("functionapp");

        // Assert: https://<host>/api/webpubsub, where <host> is the site's defaultHostName.
        Assert.Equal("[format('https://{0}/api/webpubsub', parameters('functionAppHostName'))]", urlTemplate);
        Assert.Equal($"[{functionApp.OutputReference("defaultHostName")}]", hostPassed);
        Assert.Equal(
            "[reference(resourceId('Microsoft.Web/sites', parameters('functionAppName')), '2025-03-01').defaultHostName]",
            functionApp.OutputValue("defaultHostName"));
    }

    [Fact]
    public void SystemEvents_EventHandler_AreConnectConnectedDisconnected()
    {
        // Act
        var events = EventHandler.GetProperty("systemEvents").EnumerateArray().Select(e => e.GetString()).ToList();

        // Assert
        Assert.Equal(["connect", "connected", "disconnected"], events);
    }

    [Fact]
    public void UserEventPattern_EventHandler_IsWildcard()
    {
        // Act
        var pattern = EventHandler.GetProperty("userEventPattern").GetString();

        // Assert
        Assert.Equal("*", pattern);
    }

    [Fact]
    public void Auth_EventHandler_IsManagedIdentityWithConfiguredAudience()
    {
        // Act
        var auth = EventHandler.GetProperty("auth");
        var audiencePassed = HubModule.PassedValue("upstreamAudience");

        // Assert
        Assert.Equal("ManagedIdentity", auth.GetProperty("type").GetString());
        Assert.Equal("[parameters('upstreamAudience')]", auth.GetProperty("managedIdentity").GetProperty("resource").GetString());
        // A dedicated application id URI, never the identity's client id (Entra need not issue tokens for it).
        Assert.Equal("[parameters('upstreamAudience')]", audiencePassed);
    }

    [Fact]
    public void AnonymousConnectPolicy_Hub_IsDeny()
    {
        // Act
        var hub = HubModule.Template.Resource("Microsoft.SignalRService/webPubSub/hubs");

        // Assert
        Assert.Equal("Deny", hub.GetProperty("properties").GetProperty("anonymousConnectPolicy").GetString());
    }

    [Fact]
    public void HubName_Parameter_DefaultsToArcpAndNamesTheHub()
    {
        // Act
        var hub = HubModule.Template.Resource("Microsoft.SignalRService/webPubSub/hubs");

        // Assert
        Assert.Equal("arcp", _main.Parameter("hubName").GetProperty("defaultValue").GetString());
        Assert.Equal("[parameters('hubName')]", HubModule.PassedValue("hubName"));
        Assert.Equal("[format('{0}/{1}', parameters('webPubSubName'), parameters('hubName'))]", hub.GetProperty("name").GetString());
    }

    [Fact]
    public void Identity_Service_IsTheRuntimeUserAssignedIdentity()
    {
        // Act
        var module = _main.Module("webpubsub");
        var service = module.Template.Resource("Microsoft.SignalRService/webPubSub");
        var identity = service.GetProperty("identity");

        // Assert: upstream tokens are issued to the identity the service holds.
        Assert.Equal("UserAssigned", identity.GetProperty("type").GetString());
        Assert.True(identity.GetProperty("userAssignedIdentities").TryGetProperty("[format('{0}', parameters('identityId'))]", out _));
        Assert.Equal("[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('names').identity)]", module.PassedValue("identityId"));
    }

    [Theory]
    [InlineData("Standard_S1")]
    [InlineData("Free_F1")]
    public void Sku_Parameter_AllowsFreeAndStandard(string sku)
    {
        // Act
        var allowed = _main.Parameter("webPubSubSku").GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString());
        var service = _main.Module("webpubsub").Template.Resource("Microsoft.SignalRService/webPubSub");

        // Assert
        Assert.Contains(sku, allowed);
        Assert.Equal("[parameters('skuName')]", service.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("[split(parameters('skuName'), '_')[0]]", service.GetProperty("sku").GetProperty("tier").GetString());
    }

    [Fact]
    public void Capacity_Parameter_UnitsUpToOneHundredOnStandard()
    {
        // Act
        var module = _main.Module("webpubsub");
        var service = module.Template.Resource("Microsoft.SignalRService/webPubSub");
        var units = _main.Parameter("webPubSubCapacity");

        // Assert: each unit serves 1,000 connections; the Free tier is always one unit.
        Assert.Equal("[if(equals(parameters('skuName'), 'Free_F1'), 1, parameters('capacity'))]", service.GetProperty("sku").GetProperty("capacity").GetString());
        Assert.Equal("[parameters('webPubSubCapacity')]", module.PassedValue("capacity"));
        Assert.Equal(1, units.GetProperty("defaultValue").GetInt32());
        Assert.Equal(1, units.GetProperty("minValue").GetInt32());
        Assert.Equal(100, units.GetProperty("maxValue").GetInt32());
    }
}
