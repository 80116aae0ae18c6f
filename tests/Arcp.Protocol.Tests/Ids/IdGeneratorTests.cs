using Arcp.Protocol.Ids;
using Microsoft.Extensions.Time.Testing;

namespace Arcp.Protocol.Tests.Ids;

public sealed class IdGeneratorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 13, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void NewUlid_Always_TwentySixCrockfordChars()
    {
        // Arrange
        var ids = new IdGenerator(_time);

        // Act
        var ulid = ids.NewUlid();

        // Assert
        Assert.Equal(26, ulid.Length);
        Assert.True(IdFormats.IsValidUlid(ulid));
        Assert.DoesNotContain(ulid, c => c is 'I' or 'L' or 'O' or 'U');
    }

    [Fact]
    public void NewUlid_EncodesMillisecondTime_InFirstTenChars()
    {
        // Arrange
        var ids = new IdGenerator(new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1)));

        // Act
        var ulid = ids.NewUlid();

        // Assert
        Assert.Equal("0000000001", ulid[..10]);
    }

    [Fact]
    public void NewUlid_LaterTime_SortsAfter()
    {
        // Arrange
        var ids = new IdGenerator(_time);
        var earlier = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            earlier.Add(ids.NewUlid());
            _time.Advance(TimeSpan.FromMilliseconds(i % 3));
        }

        // Act
        var sorted = earlier.Order(StringComparer.Ordinal).ToList();

        // Assert
        Assert.Equal(earlier, sorted);
        Assert.Equal(earlier.Count, earlier.Distinct().Count());
    }

    [Fact]
    public void NewUlid_SameMillisecond_StrictlyIncreasing()
    {
        // Arrange
        var ids = new IdGenerator(_time);

        // Act
        var batch = Enumerable.Range(0, 1000).Select(_ => ids.NewUlid()).ToList();

        // Assert
        for (var i = 1; i < batch.Count; i++)
        {
            Assert.True(string.CompareOrdinal(batch[i - 1], batch[i]) < 0);
        }

        Assert.All(batch, u => Assert.Equal(batch[0][..10], u[..10]));
    }

    [Fact]
    public void NewUlid_ClockStepsBack_StaysMonotonic()
    {
        // Arrange
        var clock = new SettableTimeProvider { Now = _time.GetUtcNow() };
        var ids = new IdGenerator(clock);
        var first = ids.NewUlid();
        clock.Now = clock.Now.AddSeconds(-10);

        // Act
        var second = ids.NewUlid();

        // Assert
        Assert.True(string.CompareOrdinal(first, second) < 0);
    }

    [Fact]
    public void NewPrefixedIds_Always_CarryPrefixes()
    {
        // Arrange
        var ids = new IdGenerator(_time);

        // Act
        (string Id, string Prefix)[] minted =
        [
            (ids.NewMessageId(), "msg_"), (ids.NewSessionId(), "sess_"), (ids.NewJobId(), "job_"), (ids.NewResultId(), "res_"),
            (ids.NewCredentialId(), "cred_"), (ids.NewArtifactId(), "art_"), (ids.NewPingNonce(), "p_"),
        ];

        // Assert
        foreach (var (id, prefix) in minted)
        {
            Assert.StartsWith(prefix, id, StringComparison.Ordinal);
            Assert.True(IdFormats.IsValidUlid(id[prefix.Length..]));
        }
    }

    [Fact]
    public void NewResumeToken_Always_RtPlus64LowercaseHex()
    {
        // Act
        var token = IdGenerator.NewResumeToken();

        // Assert
        Assert.Matches("^rt_[0-9a-f]{64}$", token);
        Assert.True(IdFormats.IsValidResumeToken(token));
        Assert.NotEqual(token, IdGenerator.NewResumeToken());
    }

    [Fact]
    public void NewTraceId_Always_ValidTraceId()
    {
        // Act
        var traceId = IdGenerator.NewTraceId();

        // Assert
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.True(IdFormats.IsValidTraceId(traceId));
    }

    private sealed class SettableTimeProvider : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
