using Arcp.Protocol.Json;

namespace Arcp.Protocol.Tests.Json;

public sealed class ArcpTimestampTests
{
    [Fact]
    public void Format_NonUtcWithTicks_UtcZThreeDigits()
    {
        // Arrange
        var value = new DateTimeOffset(2026, 5, 13, 21, 42, 13, TimeSpan.FromHours(2)).AddTicks(9_999);

        // Act
        var text = ArcpTimestamp.Format(value);

        // Assert
        Assert.Equal("2026-05-13T19:42:13.000Z", text);
    }

    [Theory]
    [InlineData("2026-05-13T19:42:13Z", "2026-05-13T19:42:13.000Z")]
    [InlineData("2026-05-13T19:42:13.5Z", "2026-05-13T19:42:13.500Z")]
    [InlineData("2026-05-13T21:42:13.123+02:00", "2026-05-13T19:42:13.123Z")]
    [InlineData("2026-05-13t19:42:13z", "2026-05-13T19:42:13.000Z")]
    public void TryParse_Rfc3339_NormalisesToUtc(string text, string expected)
    {
        // Act
        var ok = ArcpTimestamp.TryParse(text, out var value);

        // Assert
        Assert.True(ok);
        Assert.Equal(expected, ArcpTimestamp.Format(value));
        Assert.Equal(TimeSpan.Zero, value.Offset);
    }

    [Theory]
    [InlineData("2026-05-13T19:42:13")]
    [InlineData("2026-05-13")]
    [InlineData("May 13 2026 19:42:13Z")]
    [InlineData("2026-05-13T19:42:13.Z")]
    [InlineData("2026-05-13T19:42:13+0200")]
    [InlineData("2026-02-30T00:00:00Z")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_NotRfc3339_False(string? text)
    {
        // Act
        var ok = ArcpTimestamp.TryParse(text, out _);

        // Assert
        Assert.False(ok);
    }
}
