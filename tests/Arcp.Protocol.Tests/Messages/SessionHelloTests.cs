using Arcp.Protocol.Messages;

namespace Arcp.Protocol.Tests.Messages;

public sealed class SessionHelloTests
{
    [Fact]
    public void ToString_WithTokens_DoesNotRevealSecrets()
    {
        // Arrange
        var hello = new SessionHello(
            new ClientInfo("c", "1"),
            Auth: new AuthInfo("bearer", "secret-bearer"),
            Resume: new ResumeRequest("sess_1", "rt_secret1", "rt_secret2", 3),
            ResumeToken: "rt_secret3");

        // Act
        var text = hello.ToString();

        // Assert
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.Contains("sess_1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void GetResumeToken_NoResumeData_Null()
    {
        // Arrange
        var hello = new SessionHello(new ClientInfo("c", "1"));

        // Act
        var token = hello.GetResumeToken();

        // Assert
        Assert.Null(token);
        Assert.Null(hello.GetLastEventSeq());
    }
}
