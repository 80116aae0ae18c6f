using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Tests.Errors;

public sealed class ArcpExceptionTests
{
    [Fact]
    public void Constructor_CodeAndMessage_CarriesProtocolError()
    {
        // Act
        var exception = new ArcpException(ErrorCode.PermissionDenied, "Outside lease.");

        // Assert
        Assert.Equal(ErrorCode.PermissionDenied, exception.Code);
        Assert.Equal("Outside lease.", exception.Message);
        Assert.Equal("Outside lease.", exception.Error.Message);
    }

    [Fact]
    public void Constructor_MessageOnly_InternalError()
    {
        // Act
        var exception = new ArcpException("boom", new InvalidOperationException());

        // Assert
        Assert.Equal(ErrorCode.InternalError, exception.Code);
        Assert.True(exception.Error.Retryable);
        Assert.IsType<InvalidOperationException>(exception.InnerException);
    }

    [Fact]
    public void Constructor_NullError_Throws()
    {
        // Act + Assert
        Assert.Throws<ArgumentNullException>(() => new ArcpException((ProtocolError)null!));
    }
}
