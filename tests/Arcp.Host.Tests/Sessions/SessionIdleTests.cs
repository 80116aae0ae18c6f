namespace Arcp.Host.Tests.Sessions;

/// <summary>§14: a connection with zero throughput beyond heartbeats is disconnect-eligible; its session stays resumable.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SessionIdleTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, "--Arcp:Sessions:IdleDisconnectAfter=00:00:02", "--Arcp:Sessions:HeartbeatIntervalSec=1");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task IdleConnection_ClosedAndDetachedButResumable()
    {
        var (client, welcome) = await _host.OpenSessionAsync("tok-alice", "progress");
        await using var _client = client;

        var end = await client.ReceiveAsync(TimeSpan.FromSeconds(15));
        await using var resumed = await _host.ConnectAsync();
        var again = await resumed.HelloAsync("tok-alice", [], new { resume_token = welcome.GetProperty("payload").GetProperty("resume_token").GetString(), last_event_seq = 0 });

        Assert.Null(end);
        Assert.Equal(welcome.GetProperty("session_id").GetString(), again.GetProperty("session_id").GetString());
    }
}
