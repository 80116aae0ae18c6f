using Arcp.Azure.Durable;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using ShimConverter = Microsoft.DurableTask.Converters.JsonDataConverter;

namespace Arcp.Azure.Tests.Durable;

/// <summary>The orchestration input crosses two serialisers: Newtonsoft in TaskHubClient, System.Text.Json in the shims.</summary>
public sealed class JobStartRequestRoundTripTests
{
    public static TheoryData<JobStartRequest> Requests() =>
    [
        new("job_01JABCDEFGHJKMNPQRSTVWXYZ0", null, null),
        new("job_01JABCDEFGHJKMNPQRSTVWXYZ0", 30, null),
        new("job_01JABCDEFGHJKMNPQRSTVWXYZ0", null, new DateTimeOffset(2026, 5, 13, 10, 0, 0, 123, TimeSpan.Zero)),
        new("job_01JABCDEFGHJKMNPQRSTVWXYZ0", int.MaxValue, new DateTimeOffset(2026, 5, 13, 12, 0, 0, 7, TimeSpan.FromHours(2))),
        new("job_01JABCDEFGHJKMNPQRSTVWXYZ0", 30, null, JobOrchestrationSettings.Defaults),
        new("job_01JABCDEFGHJKMNPQRSTVWXYZ0", null, null, new JobOrchestrationSettings(TimeSpan.FromMilliseconds(1500), 2, TimeSpan.FromMinutes(3), 40, TimeSpan.FromSeconds(0.25))),
    ];

    [Theory]
    [MemberData(nameof(Requests))]
    public void ClientSerialiser_ThenShimDeserialiser_SameRequest(JobStartRequest request)
    {
        // Act
        var json = DurableTaskHub.InputConverter.Serialize(request);
        var back = ShimConverter.Default.Deserialize<JobStartRequest>(json);

        // Assert
        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
        Assert.Equal(request, back);
        Assert.Equal(request.ExpiresAt?.UtcTicks, back!.ExpiresAt?.UtcTicks);
    }
}
