using Arcp.Protocol.Errors;
using Arcp.Protocol.Leases;
using Microsoft.Extensions.Time.Testing;

namespace Arcp.Protocol.Tests.Leases;

public sealed class LeaseExpiryTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 13, 10, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("2026-05-13T10:00:00.001Z")]
    [InlineData("2026-05-13T23:42:00Z")]
    [InlineData("2027-01-01T00:00:00.123456Z")]
    public void TryParse_FutureZ_Accepted(string text)
    {
        // Act
        var ok = LeaseExpiry.TryParse(text, _time.GetUtcNow(), out var expiresAt, out var error);

        // Assert
        Assert.True(ok);
        Assert.Null(error);
        Assert.True(expiresAt > _time.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, expiresAt.Offset);
    }

    [Theory]
    [InlineData("2026-05-13T23:42:00+00:00")]
    [InlineData("2026-05-13T23:42:00-01:00")]
    [InlineData("2026-05-13T23:42:00z")]
    [InlineData("2026-05-13T23:42:00")]
    [InlineData("2026-05-13T10:00:00Z")]
    [InlineData("2026-05-13T09:59:59.999Z")]
    [InlineData("2020-01-01T00:00:00Z")]
    [InlineData("2026-13-13T23:42:00Z")]
    [InlineData("2026-05-13 23:42:00Z")]
    [InlineData("tomorrow Z")]
    [InlineData("2026-05-13Z")]
    [InlineData("Z")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_NonZPastOrMalformed_InvalidRequest(string? text)
    {
        // Act
        var ok = LeaseExpiry.TryParse(text, _time.GetUtcNow(), out _, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
        Assert.Equal("payload.lease_constraints.expires_at", error.Details!.Value.GetProperty("field").GetString());
    }

    [Fact]
    public void IsExpired_AtExpiry_True()
    {
        // Arrange
        var expiresAt = _time.GetUtcNow().AddMinutes(5);
        _time.Advance(TimeSpan.FromMinutes(5));

        // Act
        var expired = LeaseExpiry.IsExpired(expiresAt, _time.GetUtcNow());

        // Assert
        Assert.True(expired);
        Assert.False(LeaseExpiry.IsExpired(expiresAt, _time.GetUtcNow().AddTicks(-1)));
    }

    [Fact]
    public void Effective_ChildLaterThanParent_ParentWins()
    {
        // Arrange
        var parent = _time.GetUtcNow().AddHours(1);
        var child = _time.GetUtcNow().AddHours(2);

        // Act
        var effective = LeaseExpiry.Effective(child, parent);

        // Assert
        Assert.Equal(parent, effective);
        Assert.Equal(parent, LeaseExpiry.Effective(null, parent));
        Assert.Equal(child, LeaseExpiry.Effective(child, null));
        Assert.Null(LeaseExpiry.Effective(null, null));
    }
}
