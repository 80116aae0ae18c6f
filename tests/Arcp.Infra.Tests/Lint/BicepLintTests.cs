using Arcp.Infra.Tests.Bicep;

namespace Arcp.Infra.Tests.Lint;

public sealed class BicepLintTests
{
    public static TheoryData<string> InfraFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in RepoPaths.BicepFiles())
        {
            data.Add(file);
        }

        return data;
    }

    [Fact]
    public void InfraFiles_Listed_CoverMainParametersAndModules()
    {
        // Act
        var files = RepoPaths.BicepFiles();

        // Assert
        Assert.Contains("main.bicep", files);
        Assert.Contains("main.bicepparam", files);
        Assert.Contains("modules/functionapp.bicep", files);
        Assert.Contains("modules/webpubsub-hub.bicep", files);
        Assert.Contains("modules/role-assignments.bicep", files);
    }

    [Theory]
    [MemberData(nameof(InfraFiles))]
    public async Task Lint_InfraFile_ReportsNothing(string file)
    {
        // Act
        var result = await BicepCli.RunAsync(["lint", Path.Combine(RepoPaths.Infra, file)], new Dictionary<string, string?>
        {
            // main.bicepparam reads these; lint must not fail on their absence in the test environment.
            ["ARCP_JWT_ISSUER"] = "https://issuer.test",
            ["ARCP_JWT_AUDIENCE"] = "arcp-clients",
            ["ARCP_JWT_SIGNING_KEYS"] = "test-signing-key",
            ["ARCP_UPSTREAM_AUDIENCE"] = "api://arcp-upstream",
        });

        // Assert: bicep lint exits 0 on warnings, so any text at all is a failure.
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(string.IsNullOrWhiteSpace(result.StandardOutput), result.ToString());
        Assert.True(string.IsNullOrWhiteSpace(result.StandardError), result.ToString());
    }

    [Fact]
    public async Task Lint_StaleApiVersionUnderInfraConfig_ReportsUseRecentApiVersions()
    {
        // Arrange: a copy of the storage module with an old API version, next to infra's bicepconfig.json.
        var scratch = Directory.CreateTempSubdirectory("arcp-infra-lint-");
        try
        {
            File.Copy(Path.Combine(RepoPaths.Infra, "bicepconfig.json"), Path.Combine(scratch.FullName, "bicepconfig.json"));
            var module = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Infra, "modules", "storage.bicep"));
            var stale = module.Replace("Microsoft.Storage/storageAccounts@2026-06-01", "Microsoft.Storage/storageAccounts@2021-09-01", StringComparison.Ordinal);
            Assert.NotEqual(module, stale);
            var path = Path.Combine(scratch.FullName, "storage.bicep");
            await File.WriteAllTextAsync(path, stale);

            // Act
            var result = await BicepCli.RunAsync(["lint", path]);

            // Assert
            Assert.Contains("use-recent-api-versions", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
