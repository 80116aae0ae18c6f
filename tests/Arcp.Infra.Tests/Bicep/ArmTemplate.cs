using System.Text.Json;
using System.Text.RegularExpressions;

namespace Arcp.Infra.Tests.Bicep;

/// <summary>Read access to a compiled ARM template (languageVersion 1.0: resources as an array).</summary>
internal sealed partial class ArmTemplate(JsonElement root)
{
    public JsonElement Root { get; } = root;

    public IEnumerable<JsonElement> Resources => Root.GetProperty("resources").EnumerateArray();

    public JsonElement Outputs => Root.GetProperty("outputs");

    public IReadOnlyList<JsonElement> ResourcesOfType(string type) =>
        Resources.Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The one resource of <paramref name="type"/> in this template (not in nested deployments).</summary>
    public JsonElement Resource(string type)
    {
        var matches = ResourcesOfType(type);
        Assert.True(matches.Count == 1, $"Expected exactly one {type}, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>The nested deployment a Bicep module compiles to, by its deployment name.</summary>
    public ArmModule Module(string deploymentName)
    {
        var deployment = ResourcesOfType("Microsoft.Resources/deployments")
            .SingleOrDefault(r => r.GetProperty("name").GetString() == deploymentName);
        Assert.True(deployment.ValueKind == JsonValueKind.Object, $"No module deployment named '{deploymentName}'.");
        return new ArmModule(deploymentName, deployment);
    }

    public JsonElement Parameter(string name) => Root.GetProperty("parameters").GetProperty(name);

    public JsonElement Variable(string name) => Root.GetProperty("variables").GetProperty(name);

    /// <summary>
    /// The literal strings a template expression of the form <c>variables('x')</c> or <c>variables('x')[copyIndex()]</c>
    /// stands for (one per copy for the latter), following variables that refer to other variables.
    /// </summary>
    public IReadOnlyList<string> ResolveVariableStrings(string expression)
    {
        var match = VariableReference().Match(expression);
        Assert.True(match.Success, $"No variables() reference in {expression}.");
        var value = Variable(match.Groups["name"].Value);
        if (match.Groups["copy"].Success)
        {
            return value.EnumerateArray().SelectMany(e => ResolveString(e.GetString()!)).ToList();
        }

        return ResolveString(value.GetString()!);
    }

    private IReadOnlyList<string> ResolveString(string value) =>
        value.StartsWith("[variables(", StringComparison.Ordinal) ? ResolveVariableStrings(value) : [value];

    [GeneratedRegex(@"variables\('(?<name>\w+)'\)(?<copy>\[copyIndex\(\)\])?")]
    private static partial Regex VariableReference();
}
