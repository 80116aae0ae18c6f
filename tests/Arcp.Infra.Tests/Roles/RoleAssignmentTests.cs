using System.Text.Json;
using Arcp.Infra.Tests.Bicep;

namespace Arcp.Infra.Tests.Roles;

[Collection(CompiledTemplateCollection.Name)]
public sealed class RoleAssignmentTests(CompiledTemplateFixture fixture)
{
    private readonly ArmTemplate _main = fixture.Main;

    private ArmModule Module => _main.Module("role-assignments");

    public static TheoryData<string, string> RolesAndScopes() => new()
    {
        { Bicep.Roles.StorageBlobDataOwner, "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]" },
        { Bicep.Roles.StorageQueueDataContributor, "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]" },
        { Bicep.Roles.StorageTableDataContributor, "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]" },
        { Bicep.Roles.WebPubSubServiceOwner, "[resourceId('Microsoft.SignalRService/webPubSub', parameters('webPubSubName'))]" },
        { Bicep.Roles.MonitoringMetricsPublisher, "[resourceId('Microsoft.Insights/components', parameters('appInsightsName'))]" },
    };

    /// <summary>Every role assignment in the module, expanded per copy, with the role GUID it grants.</summary>
    private List<(string RoleId, JsonElement Assignment)> Assignments()
    {
        var assignments = new List<(string, JsonElement)>();
        foreach (var resource in Module.Template.ResourcesOfType("Microsoft.Authorization/roleAssignments"))
        {
            var roleDefinitionId = resource.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!;
            Assert.StartsWith("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ", roleDefinitionId, StringComparison.Ordinal);
            foreach (var roleId in Module.Template.ResolveVariableStrings(roleDefinitionId))
            {
                assignments.Add((roleId, resource));
            }
        }

        return assignments;
    }

    [Theory]
    [MemberData(nameof(RolesAndScopes))]
    public void RoleAssignment_EachRole_IsScopedToItsResource(string roleId, string expectedScope)
    {
        // Act
        var matches = Assignments().Where(a => a.RoleId == roleId).ToList();

        // Assert
        var assignment = Assert.Single(matches).Assignment;
        Assert.Equal(expectedScope, assignment.GetProperty("scope").GetString());
    }

    [Fact]
    public void RoleAssignment_All_AreTheFiveDataPlaneRoles()
    {
        // Act
        var roles = Assignments().Select(a => a.RoleId).Order(StringComparer.Ordinal).ToList();

        // Assert: nothing broader (no Owner/Contributor) is granted.
        Assert.Equal(
            RolesAndScopes().Select(row => (string)row[0]).Order(StringComparer.Ordinal),
            roles);
    }

    [Fact]
    public void Principal_EveryAssignment_IsTheRuntimeIdentityAsServicePrincipal()
    {
        // Act
        var assignments = Assignments();

        // Assert
        Assert.NotEmpty(assignments);
        foreach (var (_, assignment) in assignments)
        {
            var properties = assignment.GetProperty("properties");
            Assert.Equal("ServicePrincipal", properties.GetProperty("principalType").GetString());
            Assert.Equal("[parameters('principalId')]", properties.GetProperty("principalId").GetString());
        }

        Assert.Equal(
            "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('names').identity), '2024-11-30').principalId]",
            Module.PassedValue("principalId"));
    }

    [Fact]
    public void Name_EveryAssignment_IsDeterministicPerScopePrincipalAndRole()
    {
        // Act
        var assignments = Assignments();

        // Assert: redeploying finds the same assignment instead of failing with RoleAssignmentExists.
        foreach (var (_, assignment) in assignments)
        {
            var name = assignment.GetProperty("name").GetString()!;
            var scope = assignment.GetProperty("scope").GetString()!.Trim('[', ']');
            Assert.StartsWith($"[guid({scope}, parameters('principalId'), variables(", name, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("storageAccountName", "storage", "storageAccountName")]
    [InlineData("webPubSubName", "webpubsub", "webPubSubName")]
    [InlineData("appInsightsName", "monitoring", "appInsightsName")]
    public void ScopeParameter_Module_IsTheDeployedResource(string parameter, string module, string output)
    {
        // Act
        var passed = Module.PassedValue(parameter);

        // Assert
        Assert.Equal($"[{_main.Module(module).OutputReference(output)}]", passed);
    }
}
