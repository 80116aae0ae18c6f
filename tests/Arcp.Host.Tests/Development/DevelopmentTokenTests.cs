using System.Text.RegularExpressions;
using Arcp.Testing;

namespace Arcp.Host.Tests.Development;

/// <summary>The development token of a local run, through the real host process and its console.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class DevelopmentTokenTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);
    private readonly DirectoryInfo _workDir = Directory.CreateTempSubdirectory("arcp-devtoken-");

    [Fact]
    public async Task DevelopmentToken_LoopbackWithoutTokens_PrintedOnceAndAccepted()
    {
        // Arrange
        await using var host = HostProcess.Start(_workDir.FullName, Environment(("Arcp__Auth__DevelopmentToken", "true")));
        using var healthy = await host.WaitHealthyAsync(s_startTimeout);
        await Eventually.WaitUntilAsync(() => TokenLine().IsMatch(host.Output), s_startTimeout);
        var token = TokenLine().Match(host.Output).Groups[1].Value;
        var arcp = $"ws://{host.BaseAddress.Authority}/arcp";

        // Act
        await using var client = await ArcpTestClient.ConnectAsync(new Uri(arcp));
        var welcome = await client.HelloAsync(token, ["list_jobs"]);
        await using var stranger = await ArcpTestClient.ConnectAsync(new Uri(arcp));
        var refused = await stranger.HelloAsync(token[..^1] + (token[^1] == 'A' ? 'B' : 'A'), ["list_jobs"]);

        // Assert
        Assert.Equal(43, token.Length);
        Assert.Equal("session.welcome", welcome.GetProperty("type").GetString());
        Assert.Equal("session.error", refused.GetProperty("type").GetString());
        Assert.Equal("UNAUTHENTICATED", refused.GetProperty("payload").GetProperty("code").GetString());
        Assert.Contains($"    Dashboard: {host.BaseAddress.AbsoluteUri}#token={token}", host.Output, StringComparison.Ordinal);
        Assert.Contains($"    CLI:       arcp agents --url {arcp} --token {token}", host.Output, StringComparison.Ordinal);
        // The token reaches the console in the three banner lines only: no log line carries it.
        var carrying = host.Output.Split(System.Environment.NewLine).Where(l => l.Contains(token, StringComparison.Ordinal)).ToList();
        Assert.Equal(3, carrying.Count);
        Assert.All(carrying, l => Assert.Matches("^    (Dashboard|Token|CLI): ", l));
    }

    [Fact]
    public async Task DevelopmentToken_NonLoopbackBind_NotMinted()
    {
        // Arrange
        await using var host = HostProcess.Start(_workDir.FullName, Environment(("Arcp__Auth__DevelopmentToken", "true")), bindAllInterfaces: true);

        // Act
        using var healthy = await host.WaitHealthyAsync(s_startTimeout);
        await Eventually.WaitUntilAsync(() => host.Output.Contains("non-loopback address", StringComparison.Ordinal), s_startTimeout);

        // Assert
        Assert.Contains("0.0.0.0", host.Output, StringComparison.Ordinal);
        Assert.DoesNotMatch(TokenLine(), host.Output);
        Assert.DoesNotContain("Dashboard:", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevelopmentToken_TokensConfigured_NotMintedAndConfiguredTokenWorks()
    {
        // Arrange
        await using var host = HostProcess.Start(
            _workDir.FullName,
            Environment(("Arcp__Auth__DevelopmentToken", "true"), ("Arcp__Auth__Tokens__tok-configured", "alice")));

        // Act
        using var healthy = await host.WaitHealthyAsync(s_startTimeout);
        await Eventually.WaitUntilAsync(() => host.Output.Contains("bearer tokens or JWT keys are configured", StringComparison.Ordinal), s_startTimeout);
        await using var client = await ArcpTestClient.ConnectAsync(new Uri($"ws://{host.BaseAddress.Authority}/arcp"));
        var welcome = await client.HelloAsync("tok-configured", ["list_jobs"]);

        // Assert
        Assert.Equal("session.welcome", welcome.GetProperty("type").GetString());
        Assert.DoesNotMatch(TokenLine(), host.Output);
    }

    [Fact]
    public async Task DevelopmentToken_SettingOff_NotMinted()
    {
        // Arrange
        await using var host = HostProcess.Start(_workDir.FullName, Environment());

        // Act
        using var healthy = await host.WaitHealthyAsync(s_startTimeout);
        await Eventually.WaitUntilAsync(() => host.Output.Contains("ARCP host listening on", StringComparison.Ordinal), s_startTimeout);

        // Assert
        Assert.DoesNotMatch(TokenLine(), host.Output);
        Assert.DoesNotContain("development token", host.Output, StringComparison.OrdinalIgnoreCase);
    }

    private Dictionary<string, string> Environment(params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Arcp__Storage__TablePrefix"] = "dt" + Guid.NewGuid().ToString("N")[..10],
            ["Arcp__Durable__TaskHubName"] = "dt" + Guid.NewGuid().ToString("N")[..10],
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return environment;
    }

    [GeneratedRegex(@"^    Token:     (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TokenLine();

    public void Dispose() => _workDir.Delete(recursive: true);
}
