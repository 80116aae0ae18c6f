using System.Text.Json;

namespace Arcp.Infra.Tests.Bicep;

/// <summary>A compiled Bicep module: the nested deployment, the values the parent passes to it, and its template.</summary>
internal sealed class ArmModule(string name, JsonElement deployment)
{
    public string Name { get; } = name;

    public JsonElement Deployment { get; } = deployment;

    public ArmTemplate Template { get; } = new(deployment.GetProperty("properties").GetProperty("template"));

    /// <summary>
    /// The expression or literal the parent passes for <paramref name="parameter"/>. Bicep compiles a conditional
    /// argument to one expression building the whole <c>{"value": …}</c> object; that expression is returned as is.
    /// </summary>
    public string PassedValue(string parameter)
    {
        var parameters = Deployment.GetProperty("properties").GetProperty("parameters");
        Assert.True(parameters.TryGetProperty(parameter, out var passed), $"Module '{Name}' is not given '{parameter}'.");
        if (passed.ValueKind == JsonValueKind.String)
        {
            return passed.GetString()!;
        }

        var value = passed.GetProperty("value");
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }

    public IReadOnlyList<string> DependsOn =>
        Deployment.TryGetProperty("dependsOn", out var d) ? d.EnumerateArray().Select(e => e.GetString()!).ToList() : [];

    /// <summary>The expression of the module's output <paramref name="output"/>.</summary>
    public string OutputValue(string output) =>
        Template.Outputs.GetProperty(output).GetProperty("value").GetString()!;

    /// <summary>How the parent template refers to this module's output <paramref name="output"/>.</summary>
    public string OutputReference(string output) =>
        $"reference(resourceId('Microsoft.Resources/deployments', '{Name}'), '{ApiVersion}').outputs.{output}.value";

    private string ApiVersion => Deployment.GetProperty("apiVersion").GetString()!;
}
