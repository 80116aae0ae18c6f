using Arcp.Protocol.Events;

namespace Arcp.Protocol.Tests.Events;

public sealed class ResultChunkBodyTests
{
    [Theory]
    [InlineData("res_1", 0, "hello", "utf8", true)]
    [InlineData("res_1", 3, "aGk=", "base64", true)]
    [InlineData("res_1", 0, "not base64!", "base64", false)]
    [InlineData("res_1", -1, "x", "utf8", false)]
    [InlineData("", 0, "x", "utf8", false)]
    [InlineData("res_1", 0, "x", "UTF8", false)]
    [InlineData("res_1", 0, "x", "hex", false)]
    public void Validate_Fields_ReturnsExpected(string resultId, long chunkSeq, string data, string encoding, bool valid)
    {
        // Arrange
        var body = new ResultChunkBody(resultId, chunkSeq, data, encoding, More: true);

        // Act
        var error = body.Validate();

        // Assert
        Assert.Equal(valid, error is null);
    }

    [Theory]
    [InlineData("aGk=", "base64", 2)]
    [InlineData("héllo", "utf8", 6)]
    public void GetDecodedLength_Data_ReturnsByteCount(string data, string encoding, long expected)
    {
        // Arrange
        var body = new ResultChunkBody("res_1", 0, data, encoding, More: false);

        // Act
        var length = body.GetDecodedLength();

        // Assert
        Assert.Equal(expected, length);
    }
}
