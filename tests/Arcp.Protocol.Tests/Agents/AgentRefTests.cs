using Arcp.Protocol.Agents;

namespace Arcp.Protocol.Tests.Agents;

public sealed class AgentRefTests
{
    [Theory]
    [InlineData("a", "a", null)]
    [InlineData("a@1", "a", "1")]
    [InlineData("a@1.0.0+build", "a", "1.0.0+build")]
    [InlineData("code-refactor@2.0.0", "code-refactor", "2.0.0")]
    [InlineData("0x.y_z-w", "0x.y_z-w", null)]
    [InlineData("s@V1_RC-2", "s", "V1_RC-2")]
    public void TryParse_ValidRef_ReturnsParts(string text, string name, string? version)
    {
        // Act
        var ok = AgentRef.TryParse(text, out var agentRef);

        // Assert
        Assert.True(ok);
        Assert.NotNull(agentRef);
        Assert.Equal(name, agentRef.Name);
        Assert.Equal(version, agentRef.Version);
        Assert.Equal(text, agentRef.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Summarize")]
    [InlineData("sUmmarize")]
    [InlineData("@")]
    [InlineData("a@")]
    [InlineData("@1")]
    [InlineData("a@@1")]
    [InlineData("a@1@2")]
    [InlineData("a b")]
    [InlineData("a@1 0")]
    [InlineData("-a")]
    [InlineData(".a")]
    [InlineData("_a")]
    [InlineData("a/b")]
    [InlineData("é")]
    [InlineData("a@1/2")]
    [InlineData(" a")]
    public void TryParse_InvalidRef_ReturnsFalse(string? text)
    {
        // Act
        var ok = AgentRef.TryParse(text, out var agentRef);

        // Assert
        Assert.False(ok);
        Assert.Null(agentRef);
    }

    [Fact]
    public void WithVersion_BareName_PinsVersion()
    {
        // Arrange
        Assert.True(AgentRef.TryParse("summarize", out var bare));

        // Act
        var pinned = bare.WithVersion("1.1.0");

        // Assert
        Assert.Equal("summarize@1.1.0", pinned.ToString());
        Assert.Equal(AgentRef.Create("summarize", "1.1.0"), pinned);
    }

    [Theory]
    [InlineData("Bad", null)]
    [InlineData("ok", "")]
    [InlineData("ok", "1 0")]
    public void Create_InvalidParts_Throws(string name, string? version)
    {
        // Act + Assert
        Assert.Throws<ArgumentException>(() => AgentRef.Create(name, version));
    }
}
