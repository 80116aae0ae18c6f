using System.Text;

namespace Arcp.Host.Tests.Sessions;

[Collection(AzuriteCollection.Name)]
public sealed class SessionFuzzTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, "--Arcp:Sessions:MaxInboundPerSecond=100000");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task HostileFrames_10000_EveryPingAnsweredOtherSessionUnaffected()
    {
        var (fuzzed, _) = await _host.OpenSessionAsync();
        var (bystander, _) = await _host.OpenSessionAsync("tok-alice-2");
        await using var _fuzzed = fuzzed;
        await using var _bystander = bystander;
        var random = new Random(1234);
        string[] templates =
        [
            "{", "}", "null", "[]", "\"str\"", "{\"arcp\":\"1.1\"}", "{\"type\":42}",
            "{\"arcp\":\"1.1\",\"id\":\"x\",\"type\":\"job.submit\",\"payload\":{\"agent\":123}}",
            "{\"arcp\":\"1.1\",\"id\":\"x\",\"type\":\"job.cancel\",\"payload\":{}}",
            "{\"arcp\":\"1.1\",\"id\":\"x\",\"type\":\"session.ack\",\"payload\":{\"last_processed_seq\":-5}}",
            "{\"arcp\":\"1.1\",\"id\":\"x\",\"type\":\"job.subscribe\",\"payload\":{\"job_id\":[1]}}",
            "{\"arcp\":\"1.1\",\"id\":\"x\",\"type\":\"session.list_jobs\",\"payload\":{\"limit\":1e400}}",
            new string('[', 5000),
        ];

        var pings = 0;
        var sent = 0;
        var answered = 0;
        var errors = 0;
        var receiver = Task.Run(async () =>
        {
            while (answered < 100)
            {
                var frame = (await fuzzed.ReceiveAsync(TimeSpan.FromSeconds(60)))!.Value;
                switch (frame.GetProperty("type").GetString())
                {
                    case "session.pong": answered++; break;
                    case "session.error": errors++; break;
                }
            }
        });

        for (var i = 0; i < 10_000; i++)
        {
            if (i % 100 == 99)
            {
                await fuzzed.SendAsync("session.ping", new { nonce = $"p{pings++}", sent_at = "2026-05-13T10:00:00.000Z" });
                continue;
            }

            var text = templates[random.Next(templates.Length)];
            var bytes = Encoding.UTF8.GetBytes(text);
            // Mutations stay valid UTF-8: RFC 6455 makes the WebSocket layer itself close a connection on invalid UTF-8
            // in a text frame (1007); invalid UTF-8 inside frames is the parser fuzz's business.
            if (random.Next(3) == 0 && bytes.Length > 1)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(0x20, 0x7F);
            }

            await fuzzed.SendRawAsync(bytes);
            sent++;
        }

        await receiver.WaitAsync(TimeSpan.FromSeconds(120));
        await bystander.SendAsync("job.submit", new { agent = "echo", input = 7 });
        var (accepted, _) = await bystander.ReceiveTypeAsync("job.accepted");
        var result = await bystander.ReceiveThroughTerminalAsync(accepted.GetProperty("job_id").GetString()!);

        Assert.Equal(100, answered);
        Assert.True(errors > 0);
        Assert.Equal(7, result[^1].GetProperty("payload").GetProperty("result").GetInt32());
    }
}
