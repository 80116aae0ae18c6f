using System.Text.Json;

namespace Arcp.Infra.Tests.Bicep;

/// <summary>Compiles infra/main.bicep once for every test that inspects the ARM JSON.</summary>
public sealed class CompiledTemplateFixture : IAsyncLifetime
{
    private JsonDocument? _document;

    internal ArmTemplate Main { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var result = await BicepCli.RunAsync(["build", RepoPaths.MainTemplate, "--stdout"]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build failed: {result}");
        }

        _document = JsonDocument.Parse(result.StandardOutput);
        Main = new ArmTemplate(_document.RootElement);
    }

    public Task DisposeAsync()
    {
        _document?.Dispose();
        return Task.CompletedTask;
    }
}
