using Arcp.Protocol.Leases;

namespace Arcp.Protocol.Tests.Leases;

public sealed class LeaseNamespacesTests
{
    [Theory]
    [InlineData("fs.read", true)]
    [InlineData("fs.write", true)]
    [InlineData("net.fetch", true)]
    [InlineData("tool.call", true)]
    [InlineData("agent.delegate", true)]
    [InlineData("cost.budget", true)]
    [InlineData("model.use", true)]
    [InlineData("x-vendor.acme.db", true)]
    [InlineData("x-vendor.acme.db.tables", true)]
    [InlineData("x-vendor.acme", false)]
    [InlineData("x-vendor.acme.", false)]
    [InlineData("x-vendor..db", false)]
    [InlineData("x-vendor.ac me.db", false)]
    [InlineData("fs.exec", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValid_Namespace_ReturnsExpected(string? ns, bool expected)
    {
        // Act
        var valid = LeaseNamespaces.IsValid(ns);

        // Assert
        Assert.Equal(expected, valid);
    }
}
