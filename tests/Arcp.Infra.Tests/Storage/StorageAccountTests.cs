using System.Text.Json;
using Arcp.Infra.Tests.Bicep;

namespace Arcp.Infra.Tests.Storage;

[Collection(CompiledTemplateCollection.Name)]
public sealed class StorageAccountTests(CompiledTemplateFixture fixture)
{
    private readonly ArmTemplate _main = fixture.Main;

    private ArmModule Module => _main.Module("storage");

    private JsonElement Properties => Module.Template.Resource("Microsoft.Storage/storageAccounts").GetProperty("properties");

    [Fact]
    public void AllowSharedKeyAccess_Account_IsFalse()
    {
        // Assert: Flex deployment, host storage and Durable all authenticate with the managed identity.
        Assert.False(Properties.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.True(Properties.GetProperty("defaultToOAuthAuthentication").GetBoolean());
    }

    [Fact]
    public void PublicAccess_Account_IsLockedDown()
    {
        // Assert
        Assert.False(Properties.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.Equal("TLS1_2", Properties.GetProperty("minimumTlsVersion").GetString());
        Assert.True(Properties.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
    }

    [Fact]
    public void DeploymentContainer_Account_IsPrivateBlobContainer()
    {
        // Act
        var container = Module.Template.Resource("Microsoft.Storage/storageAccounts/blobServices/containers");

        // Assert
        Assert.Equal("None", container.GetProperty("properties").GetProperty("publicAccess").GetString());
        Assert.Equal(
            "[format('{0}/{1}/{2}', parameters('storageAccountName'), 'default', parameters('deploymentContainerName'))]",
            container.GetProperty("name").GetString());
        Assert.Equal("[parameters('deploymentContainerName')]", Module.OutputValue("deploymentContainerName"));
    }

    [Fact]
    public void Name_Account_FitsStorageNamingRules()
    {
        // Act
        var name = _main.Variable("names").GetProperty("storage").GetString();

        // Assert: st + prefix (≤ 8) + 13-character uniqueString, cut to 24 lowercase alphanumerics.
        Assert.Equal("[take(format('st{0}{1}', parameters('prefix'), variables('suffix')), 24)]", name);
        Assert.Equal(8, _main.Parameter("prefix").GetProperty("maxLength").GetInt32());
    }
}
