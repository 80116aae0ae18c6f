using System.Text.Json;
using Arcp.Azure.Durable;
using Arcp.Runtime.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Arcp.Azure.Tests.Durable;

/// <summary>The owner lease must not outlast the work-item visibility timeout, by default and in the shipped settings.</summary>
public sealed class OwnerLeaseValidatorTests
{
    [Fact]
    public void Defaults_LeaseWithinVisibility_Valid()
    {
        var result = Validate(new JobRunnerOptions(), new DurableTaskOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void ShippedLocalSettings_LeaseWithinVisibility_Valid()
    {
        // Arrange: the settings file the run command reads.
        using var file = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("local.settings.json")));
        var values = file.RootElement.GetProperty("Values").EnumerateObject()
            .Select(p => KeyValuePair.Create(p.Name.Replace("__", ":", StringComparison.Ordinal), p.Value.GetString()));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var runner = new JobRunnerOptions();
        var durable = new DurableTaskOptions();
        configuration.GetSection("Arcp:Jobs").Bind(runner);
        configuration.GetSection(DurableTaskOptions.SectionName).Bind(durable);

        // Act
        var result = Validate(runner, durable);

        // Assert
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void LeaseLongerThanVisibility_Fails()
    {
        var result = Validate(new JobRunnerOptions { OwnerLease = TimeSpan.FromSeconds(60) }, new DurableTaskOptions { WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(30) });

        Assert.True(result.Failed);
        Assert.Contains("OwnerLease", result.FailureMessage, StringComparison.Ordinal);
    }

    private static ValidateOptionsResult Validate(JobRunnerOptions runner, DurableTaskOptions durable) =>
        new OwnerLeaseValidator(Options.Create(durable)).Validate(null, runner);
}
