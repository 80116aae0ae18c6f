using Arcp.Protocol.Ids;

namespace Arcp.Protocol.Tests.Ids;

public sealed class IdFormatsTests
{
    [Theory]
    [InlineData("5f0c2a9e8d7b6a5f4e3d2c1b0a998877", true)]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e4736", true)]
    [InlineData("00000000000000000000000000000000", false)]
    [InlineData("5F0C2A9E8D7B6A5F4E3D2C1B0A998877", false)]
    [InlineData("5f0c2a9e8d7b6a5f4e3d2c1b0a99887", false)]
    [InlineData("5f0c2a9e8d7b6a5f4e3d2c1b0a9988770", false)]
    [InlineData("5f0c2a9e-8d7b-6a5f-4e3d-2c1b0a99", false)]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false)]
    [InlineData("5f0c2a9e8d7b6a5f4e3d2c1b0a99887g", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValidTraceId_Value_ReturnsExpected(string? value, bool expected)
    {
        // Act
        var valid = IdFormats.IsValidTraceId(value);

        // Assert
        Assert.Equal(expected, valid);
    }

    [Theory]
    [InlineData("01HZX4Q8W2ABCDEFGHJKMNPQRS", true)]
    [InlineData("7ZZZZZZZZZZZZZZZZZZZZZZZZZ", true)]
    [InlineData("8ZZZZZZZZZZZZZZZZZZZZZZZZZ", false)]
    [InlineData("01HZX4Q8W2ABCDEFGHJKMNPQRU", false)]
    [InlineData("01hzx4q8w2abcdefghjkmnpqrs", false)]
    [InlineData("01HZX4Q8W2", false)]
    [InlineData(null, false)]
    public void IsValidUlid_Value_ReturnsExpected(string? value, bool expected)
    {
        // Act
        var valid = IdFormats.IsValidUlid(value);

        // Assert
        Assert.Equal(expected, valid);
    }

    [Theory]
    [InlineData("rt_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("rt_0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("rt_0123456789abcdef", false)]
    [InlineData("xx_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData(null, false)]
    public void IsValidResumeToken_Value_ReturnsExpected(string? value, bool expected)
    {
        // Act
        var valid = IdFormats.IsValidResumeToken(value);

        // Assert
        Assert.Equal(expected, valid);
    }

    [Theory]
    [InlineData("rt_abc", "rt_abc", true)]
    [InlineData("rt_abc", "rt_abd", false)]
    [InlineData("rt_abc", "rt_ab", false)]
    [InlineData("", "", true)]
    [InlineData("é", "é", true)]
    [InlineData(null, "x", false)]
    [InlineData(null, null, false)]
    public void SecretEquals_Values_ReturnsExpected(string? left, string? right, bool expected)
    {
        // Act
        var equal = IdFormats.SecretEquals(left, right);

        // Assert
        Assert.Equal(expected, equal);
    }
}
