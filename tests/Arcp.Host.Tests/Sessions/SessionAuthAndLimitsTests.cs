using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Arcp.Host.Tests.Sessions;

[Collection(AzuriteCollection.Name)]
public sealed class SessionAuthAndLimitsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly byte[] s_secret = RandomNumberGenerator.GetBytes(32);
    private static readonly RSA s_rsa = RSA.Create(2048);
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ArcpTestHost.StartAsync(
        azurite.ConnectionString,
        null,
        "--Arcp:Auth:Jwt:Issuer=https://issuer.test",
        "--Arcp:Auth:Jwt:Audience=arcp",
        $"--Arcp:Auth:Jwt:SigningKeys={Convert.ToBase64String(s_secret)};{s_rsa.ExportSubjectPublicKeyInfoPem()}",
        "--Arcp:Sessions:MaxSessionsPerPrincipal=2",
        "--Arcp:Sessions:MaxInboundPerSecond=20",
        "--Arcp:Sessions:BackPressureThreshold=10");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, bool> Tokens() => new()
    {
        { Jwt(hmac: true), true },
        { Jwt(hmac: false), true },
        { Jwt(hmac: true, issuer: "https://evil.test"), false },
        { Jwt(hmac: true, audience: "other"), false },
        { Jwt(hmac: true, expires: DateTime.UtcNow.AddMinutes(-5)), false },
        { Jwt(hmac: true, key: RandomNumberGenerator.GetBytes(32)), false },
        { "not.a.jwt", false },
    };

    [Theory]
    [MemberData(nameof(Tokens))]
    public async Task Hello_Jwt_AcceptedOnlyWhenSignatureIssuerAudienceLifetimeValid(string token, bool accepted)
    {
        await using var client = await _host.ConnectAsync();

        var reply = await client.HelloAsync(token, []);

        Assert.Equal(accepted ? "session.welcome" : "session.error", reply.GetProperty("type").GetString());
        if (!accepted)
        {
            Assert.Equal("UNAUTHENTICATED", reply.GetProperty("payload").GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Hello_JwtSubject_IsThePrincipal()
    {
        var (carol, _) = await OpenAsync(Jwt(hmac: true, subject: "carol"));
        var (alice, _) = await OpenAsync("tok-alice");
        await using var _carol = carol;
        await using var _alice = alice;
        await carol.SendAsync("job.submit", new { agent = "echo", input = 1 });
        var jobId = (await carol.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;

        var state = await _host.Jobs.GetAsync(jobId, default);

        Assert.Equal("carol", state!.Definition.Principal);
    }

    [Fact]
    public async Task Hello_BeyondPerPrincipalSessionCap_Refused()
    {
        var (first, _) = await OpenAsync(Jwt(hmac: true, subject: "dave"));
        var (second, _) = await OpenAsync(Jwt(hmac: true, subject: "dave"));
        await using var _first = first;
        await using var _second = second;
        await using var third = await _host.ConnectAsync();

        var refused = await third.HelloAsync(Jwt(hmac: true, subject: "dave"), []);

        Assert.Equal("PERMISSION_DENIED", refused.GetProperty("payload").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Flood_AboveInboundRate_ThrottledButConnectionSurvives()
    {
        var (client, _) = await OpenAsync(Jwt(hmac: true, subject: "erin"));
        await using var _client = client;

        for (var i = 0; i < 100; i++)
        {
            await client.SendAsync("session.ping", new { nonce = $"n{i}", sent_at = "2026-05-13T10:00:00.000Z" });
        }

        var pongs = 0;
        var throttled = 0;
        while (pongs + throttled < 100)
        {
            var frame = (await client.ReceiveAsync())!.Value;
            if (frame.GetProperty("type").GetString() == "session.pong")
            {
                pongs++;
            }
            else
            {
                throttled++;
            }
        }

        await Task.Delay(1100);
        await client.SendAsync("session.ping", new { nonce = "later", sent_at = "2026-05-13T10:00:00.000Z" });
        var later = await client.ReceiveAsync();

        Assert.True(pongs is >= 35 and <= 60, $"pongs {pongs}, throttled {throttled}");
        Assert.Equal(100 - pongs, throttled);
        Assert.Equal("later", later!.Value.GetProperty("payload").GetProperty("ping_nonce").GetString());
    }

    [Fact]
    public async Task Ack_LagAboveThreshold_OneBackPressureStatusOnTheLiveJob()
    {
        var (client, _) = await OpenAsync(Jwt(hmac: true, subject: "frank"), "ack", "progress");
        await using var _client = client;
        await client.SendAsync("job.submit", new { agent = "countdown", input = new { steps = 40, interval_ms = 25 } });
        var jobId = (await client.ReceiveTypeAsync("job.accepted")).Match.GetProperty("job_id").GetString()!;
        var (fifteenth, early) = await client.ReceiveUntilAsync(e => e.TryGetProperty("event_seq", out var s) && s.GetInt64() >= 15);

        // Never acknowledging more than seq 1 keeps the lag above the threshold: exactly one signal, not one per event.
        await client.SendAsync("session.ack", new { last_processed_seq = 1 });
        var all = early.Append(fifteenth).Concat(await client.ReceiveThroughTerminalAsync(jobId)).ToList();

        var pressure = all.Where(e => e.GetProperty("type").GetString() == "job.event" && e.GetProperty("payload").GetProperty("kind").GetString() == "status").ToList();
        Assert.True(pressure.Count == 1, string.Join("\n", all.Select(e => e.GetRawText()[..Math.Min(300, e.GetRawText().Length)])));
        var signal = pressure[0];
        Assert.Equal("back_pressure", signal.GetProperty("payload").GetProperty("body").GetProperty("phase").GetString());
        Assert.Equal(jobId, signal.GetProperty("job_id").GetString());
        Assert.StartsWith("consumer lag", signal.GetProperty("payload").GetProperty("body").GetProperty("message").GetString());
        var seqs = all.Where(e => e.TryGetProperty("event_seq", out _)).Select(e => e.GetProperty("event_seq").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range((int)seqs[0], seqs.Count).Select(i => (long)i), seqs);
    }

    private async Task<(ArcpTestClient Client, System.Text.Json.JsonElement Welcome)> OpenAsync(string token, params string[] features)
    {
        var client = await _host.ConnectAsync();
        var welcome = await client.HelloAsync(token, features);
        Assert.Equal("session.welcome", welcome.GetProperty("type").GetString());
        return (client, welcome);
    }

    private static string Jwt(bool hmac, string subject = "jwt-user", string issuer = "https://issuer.test", string audience = "arcp", DateTime? expires = null, byte[]? key = null)
    {
        SigningCredentials credentials = hmac
            ? new SigningCredentials(new SymmetricSecurityKey(key ?? s_secret), SecurityAlgorithms.HmacSha256)
            : new SigningCredentials(new RsaSecurityKey(s_rsa), SecurityAlgorithms.RsaSha256);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", subject)]),
            NotBefore = (expires ?? now.AddMinutes(5)) < now ? now.AddMinutes(-10) : now.AddMinutes(-1),
            IssuedAt = (expires ?? now.AddMinutes(5)) < now ? now.AddMinutes(-10) : now.AddMinutes(-1),
            Expires = expires ?? now.AddMinutes(5),
            SigningCredentials = credentials,
        });
    }
}
