using System.Text.Json;

namespace Arcp.Host.Tests.Sessions;

/// <summary>
/// Who sees a provisioned credential (§7.6, §14): the submitter's principal on acceptance and on subscribe, nobody
/// through listings, and a subscriber never gains cancel authority. The host issues credentials here.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SessionCredentialVisibilityTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string[] s_features = ["progress", "subscribe", "list_jobs", "provisioned_credentials"];
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, "--Arcp:Credentials:Endpoint=https://gateway.test/v1");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SameFamily_SubscriberSeesCredentialsButCannotCancel_ListingShowsNoValue()
    {
        // Arrange: alice submits from one session; a second session of alice subscribes.
        var (owner, _) = await _host.OpenSessionAsync("tok-alice", s_features);
        var (colleague, _) = await _host.OpenSessionAsync("tok-alice-2", s_features);
        await using var _owner = owner;
        await using var _colleague = colleague;
        await owner.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 40, interval_ms = 50 } });
        var accepted = (await owner.ReceiveTypeAsync("job.accepted")).Match.GetProperty("payload");
        var jobId = accepted.GetProperty("job_id").GetString()!;
        var credential = accepted.GetProperty("credentials")[0];
        var value = credential.GetProperty("value").GetString()!;

        // Act
        await colleague.SendAsync("job.subscribe", new { job_id = jobId, history = true });
        var (subscribed, _) = await colleague.ReceiveTypeAsync("job.subscribed");
        await colleague.SendAsync("job.cancel", new { job_id = jobId });
        var (refused, _) = await colleague.ReceiveTypeAsync("session.error");
        await colleague.SendAsync("session.list_jobs", new { });
        var (listing, _) = await colleague.ReceiveTypeAsync("session.jobs");
        await owner.SendAsync("session.list_jobs", new { });
        var (ownListing, _) = await owner.ReceiveUntilAsync(e => e.GetProperty("type").GetString() == "session.jobs");
        var ownerEvents = await owner.ReceiveThroughTerminalAsync(jobId);
        var observed = await colleague.ReceiveThroughTerminalAsync(jobId);

        // Assert: the subscriber (same principal) gets the credential with its endpoint, nothing else changes hands.
        var shown = subscribed.GetProperty("payload").GetProperty("credentials")[0];
        Assert.Equal(value, shown.GetProperty("value").GetString());
        Assert.Equal("https://gateway.test/v1", shown.GetProperty("endpoint").GetString());
        Assert.Equal(credential.GetProperty("id").GetString(), shown.GetProperty("id").GetString());
        Assert.Equal("PERMISSION_DENIED", refused.GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal("job.result", ownerEvents[^1].GetProperty("type").GetString());
        Assert.Equal("job.result", observed[^1].GetProperty("type").GetString());
        Assert.Contains(listing.GetProperty("payload").GetProperty("jobs").EnumerateArray(), j => j.GetProperty("job_id").GetString() == jobId);
        Assert.DoesNotContain(value, listing.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(value, ownListing.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(observed, e => e.GetProperty("type").GetString() == "job.accepted");
    }

    [Fact]
    public async Task TwoJobs_DistinctCredentials_EndingOneLeavesTheOtherLive()
    {
        var (client, _) = await _host.OpenSessionAsync("tok-alice", s_features);
        await using var _client = client;
        var provisioner = (Arcp.Runtime.Credentials.ScopedBearerProvisioner)_host.Services.GetService(typeof(Arcp.Runtime.Credentials.ScopedBearerProvisioner))!;

        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 200, interval_ms = 50 } });
        var first = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("payload");
        await client.SendAsync("job.submit", new { agent = "echo", input = 1 });
        var second = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("payload");
        await client.ReceiveThroughTerminalAsync(second.GetProperty("job_id").GetString()!);
        await Eventually.WaitUntilAsync(() => !provisioner.IsLive(Value(second)));

        Assert.NotEqual(Value(first), Value(second));
        Assert.NotEqual(first.GetProperty("credentials")[0].GetProperty("id").GetString(), second.GetProperty("credentials")[0].GetProperty("id").GetString());
        Assert.True(provisioner.IsLive(Value(first)));

        static string Value(JsonElement accepted) => accepted.GetProperty("credentials")[0].GetProperty("value").GetString()!;
    }
}
