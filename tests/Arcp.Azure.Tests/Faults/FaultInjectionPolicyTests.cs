using Arcp.Azure.Durable;
using Arcp.Azure.Storage;
using Arcp.Testing.Faults;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Azure.Tests.Faults;

/// <summary>The fault policy on real Azurite, directly on a client and through the runtime's DI seam.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FaultInjectionPolicyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string _table = AzuriteFixture.UniqueTableName();
    private TableClient _clean = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        _clean = new TableServiceClient(azurite.ConnectionString).GetTableClient(_table);
        await _clean.CreateIfNotExistsAsync();
    }

    async Task IAsyncLifetime.DisposeAsync() => await _clean.DeleteAsync();

    [Theory]
    [InlineData(FaultKind.ServerBusy, 503, "ServerBusy")]
    [InlineData(FaultKind.OperationTimedOut, 500, "OperationTimedOut")]
    public async Task AddEntity_InjectedAnswer_FailsAndNothingWritten(FaultKind kind, int status, string code)
    {
        // Arrange
        var options = kind == FaultKind.ServerBusy ? new FaultScheduleOptions { ServerBusy = 1.0 } : new FaultScheduleOptions { OperationTimedOut = 1.0 };
        var schedule = new FaultSchedule(options);
        var faulty = Client(schedule, maxRetries: 2);

        // Act
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => faulty.AddEntityAsync(new TableEntity("p", "r")));

        // Assert: the SDK retried through the policy each time, and storage never saw the write.
        Assert.Equal(status, error.Status);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(3, schedule.Count(kind));
        Assert.False((await _clean.GetEntityIfExistsAsync<TableEntity>("p", "r")).HasValue);
    }

    [Fact]
    public async Task AddEntity_ReplyLost_FailsAlthoughCommitted()
    {
        // Arrange
        var schedule = new FaultSchedule(new FaultScheduleOptions { ReplyLost = 1.0 });
        var faulty = Client(schedule, maxRetries: 0);

        // Act
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => faulty.AddEntityAsync(new TableEntity("p", "r") { ["v"] = 1 }));

        // Assert: the caller saw a dropped connection, yet the entity exists.
        Assert.Equal(0, error.Status);
        Assert.Equal(1, schedule.Count(FaultKind.ReplyLost));
        Assert.True((await _clean.GetEntityIfExistsAsync<TableEntity>("p", "r")).HasValue);
    }

    [Fact]
    public async Task AddEntity_ReplyLostThenRetried_RetryMeetsItsOwnCommit()
    {
        // Arrange: the first attempt commits and loses its reply; the SDK's retry passes untouched.
        var schedule = new FaultSchedule(new FaultScheduleOptions { ReplyLost = 1.0 });
        var policy = new FirstOnly(new FaultInjectionPolicy(schedule));
        var options = new TableClientOptions { Retry = { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(10) } };
        options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        var faulty = new TableClient(azurite.ConnectionString, _table, options);

        // Act
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => faulty.AddEntityAsync(new TableEntity("p", "r")));

        // Assert: the retry of a write that already took effect is refused as a conflict.
        Assert.Equal(409, error.Status);
        Assert.Equal(1, schedule.Count(FaultKind.ReplyLost));
    }

    [Fact]
    public async Task AddArcpAzureStorage_RegisteredPolicy_InEveryRuntimeClient()
    {
        // Arrange: the runtime composed with a registered policy, in an outage (every request 503).
        var schedule = new FaultSchedule(new FaultScheduleOptions());
        schedule.BeginOutage();
        var prefix = "f" + Guid.NewGuid().ToString("N")[..10];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageOptions.ConnectionSettingName] = azurite.ConnectionString,
            ["Arcp:Storage:TablePrefix"] = prefix,
            ["Arcp:Durable:TaskHubName"] = prefix,
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(new FaultInjectionPolicy(schedule).ForRuntime())
            .AddArcpAzureStorage(configuration)
            .AddArcpDurableTaskClient(configuration);
        await using var provider = services.BuildServiceProvider();
        var storage = provider.GetRequiredService<ArcpStorage>();

        // Act / Assert: tables and blobs answer 503 from the policy.
        var table = await Assert.ThrowsAsync<RequestFailedException>(() => storage.Jobs.GetEntityIfExistsAsync<TableEntity>("p", "r"));
        Assert.Equal(503, table.Status);
        var blob = await Assert.ThrowsAsync<RequestFailedException>(() => storage.Payloads.ExistsAsync());
        Assert.Equal(503, blob.Status);
        Assert.True(schedule.Count(FaultKind.Outage) >= 2);

        // The Durable backend's blob, queue and table clients pass through it too.
        schedule.EndOutage();
        var hub = provider.GetRequiredService<DurableTaskHub>();
        await hub.EnsureCreatedAsync(CancellationToken.None);
        try
        {
            Assert.True(schedule.Count(FaultKind.None) > 0);
        }
        finally
        {
            await hub.Service.DeleteAsync();
        }
    }

    private TableClient Client(FaultSchedule schedule, int maxRetries)
    {
        var options = new TableClientOptions { Retry = { MaxRetries = maxRetries, Delay = TimeSpan.FromMilliseconds(10) } };
        options.AddPolicy(new FaultInjectionPolicy(schedule), HttpPipelinePosition.PerRetry);
        return new TableClient(azurite.ConnectionString, _table, options);
    }

    /// <summary>Applies the inner policy to the first attempt only.</summary>
    private sealed class FirstOnly(HttpPipelinePolicy inner) : HttpPipelinePolicy
    {
        private int _calls;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException();

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            Interlocked.Increment(ref _calls) == 1 ? inner.ProcessAsync(message, pipeline) : ProcessNextAsync(message, pipeline);
    }
}
