using Arcp.Protocol.Errors;
using Arcp.Protocol.Leases;

namespace Arcp.Protocol.Tests.Leases;

public sealed class LeaseRequestTests
{
    private static Dictionary<string, IReadOnlyList<string>> Raw(params (string Ns, string[] Patterns)[] entries) =>
        entries.ToDictionary(e => e.Ns, e => (IReadOnlyList<string>)e.Patterns);

    [Fact]
    public void TryParse_DuplicateCurrencies_Summed()
    {
        // Arrange
        var raw = Raw(("cost.budget", ["USD:0.1", "EUR:1", "USD:0.2"]));

        // Act
        var ok = LeaseRequest.TryParse(raw, out var lease, out _);

        // Assert
        Assert.True(ok);
        Assert.NotNull(lease);
        Assert.Equal(0.3m, lease.Budget["USD"]);
        Assert.Equal(1m, lease.Budget["EUR"]);
        Assert.Equal(["USD", "EUR"], lease.Budget.Keys);
        Assert.True(lease.HasBudget);
    }

    [Fact]
    public void TryParse_Null_EmptyLease()
    {
        // Act
        var ok = LeaseRequest.TryParse(null, out var lease, out _);

        // Assert
        Assert.True(ok);
        Assert.NotNull(lease);
        Assert.Empty(lease.Grants);
        Assert.Empty(lease.Budget);
        Assert.False(lease.Allows("fs.read", "/a"));
    }

    [Theory]
    [InlineData("fs.exec", "/a")]
    [InlineData("x-vendor.acme", "a")]
    [InlineData("x-vendor..name", "a")]
    [InlineData("FS.READ", "/a")]
    [InlineData("fs.read", "")]
    [InlineData("cost.budget", "USD:-1")]
    [InlineData("cost.budget", "USD:1e3")]
    [InlineData("cost.budget", ":1")]
    public void TryParse_InvalidEntry_InvalidRequest(string ns, string pattern)
    {
        // Arrange
        var raw = Raw((ns, [pattern]));

        // Act
        var ok = LeaseRequest.TryParse(raw, out var lease, out var error);

        // Assert
        Assert.False(ok);
        Assert.Null(lease);
        Assert.NotNull(error);
        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
        Assert.Equal("payload.lease_request." + ns, error.Details!.Value.GetProperty("field").GetString());
    }

    [Fact]
    public void TryParse_EmptyModelUse_InvalidRequest()
    {
        // Arrange
        var raw = Raw(("model.use", []));

        // Act
        var ok = LeaseRequest.TryParse(raw, out _, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
    }

    [Fact]
    public void TryParse_VendorNamespace_Accepted()
    {
        // Arrange
        var raw = Raw(("x-vendor.acme.db", ["tables.*"]), ("fs.read", []));

        // Act
        var ok = LeaseRequest.TryParse(raw, out var lease, out _);

        // Assert
        Assert.True(ok);
        Assert.NotNull(lease);
        Assert.True(lease.Allows("x-vendor.acme.db", "tables.users"));
        Assert.False(lease.Allows("fs.read", "/a"));
    }

    [Fact]
    public void Allows_NamespaceAbsent_Denied()
    {
        // Arrange
        Assert.True(LeaseRequest.TryParse(Raw(("tool.call", ["search.*"])), out var lease, out _));

        // Act
        var allowed = lease.Allows("net.fetch", "https://a.example/");

        // Assert
        Assert.False(allowed);
        Assert.True(lease.Allows("tool.call", "search.web"));
    }

    [Fact]
    public void IsSubsetOf_CoveredChild_True()
    {
        // Arrange
        Assert.True(LeaseRequest.TryParse(Raw(("fs.read", ["/w/**"]), ("cost.budget", ["USD:5.00"]), ("model.use", ["tier-fast/*"])), out var parent, out _));
        Assert.True(LeaseRequest.TryParse(Raw(("fs.read", ["/w/src/**"]), ("cost.budget", ["USD:2.00"]), ("model.use", ["tier-fast/a"])), out var child, out _));
        var remaining = new Dictionary<string, decimal> { ["USD"] = 2.00m };

        // Act
        var ok = child.IsSubsetOf(parent, remaining, out var error);

        // Assert
        Assert.True(ok);
        Assert.Null(error);
    }

    [Fact]
    public void IsSubsetOf_BudgetAboveRemaining_LeaseSubsetViolation()
    {
        // Arrange
        Assert.True(LeaseRequest.TryParse(Raw(("cost.budget", ["USD:5.00"])), out var parent, out _));
        Assert.True(LeaseRequest.TryParse(Raw(("cost.budget", ["USD:2.01"])), out var child, out _));
        var remaining = new Dictionary<string, decimal> { ["USD"] = 2.00m };

        // Act
        var ok = child.IsSubsetOf(parent, remaining, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal(ErrorCode.LeaseSubsetViolation, error.Code);
        Assert.False(error.Retryable);
    }

    [Theory]
    [InlineData("fs.read", "/w/**", "fs.read", "/etc/**")]
    [InlineData("fs.read", "/w/**", "fs.write", "/w/**")]
    [InlineData("model.use", "tier-fast/*", "model.use", "tier-slow/*")]
    [InlineData("net.fetch", "https://api.example.com/**", "net.fetch", "https://api.example.com.evil.net/**")]
    public void IsSubsetOf_ExpandingChild_LeaseSubsetViolation(string parentNs, string parentPattern, string childNs, string childPattern)
    {
        // Arrange
        Assert.True(LeaseRequest.TryParse(Raw((parentNs, [parentPattern])), out var parent, out _));
        Assert.True(LeaseRequest.TryParse(Raw((childNs, [childPattern])), out var child, out _));

        // Act
        var ok = child.IsSubsetOf(parent, null, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal(ErrorCode.LeaseSubsetViolation, error.Code);
    }
}
