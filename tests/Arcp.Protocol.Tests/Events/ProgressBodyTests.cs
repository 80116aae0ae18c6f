using Arcp.Protocol.Events;

namespace Arcp.Protocol.Tests.Events;

public sealed class ProgressBodyTests
{
    [Theory]
    [InlineData(0, null, true)]
    [InlineData(47, 120.0, true)]
    [InlineData(120, 120.0, true)]
    [InlineData(-1, null, false)]
    [InlineData(121, 120.0, false)]
    [InlineData(1, -1.0, false)]
    [InlineData(double.NaN, null, false)]
    [InlineData(double.PositiveInfinity, null, false)]
    public void Validate_CurrentAndTotal_ReturnsExpected(double current, double? total, bool valid)
    {
        // Arrange
        var body = new ProgressBody(current, total);

        // Act
        var error = body.Validate();

        // Assert
        Assert.Equal(valid, error is null);
    }
}
