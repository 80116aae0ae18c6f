using Arcp.Protocol.Leases;

namespace Arcp.Protocol.Tests.Leases;

public sealed class LeasePatternTests
{
    [Theory]
    // * stays within one segment, ** crosses any depth, anchored at both ends
    [InlineData("fs.read", "/workspace/*", "/workspace/a.txt", true)]
    [InlineData("fs.read", "/workspace/*", "/workspace/src/a.txt", false)]
    [InlineData("fs.read", "/workspace/**", "/workspace/src/deep/a.txt", true)]
    [InlineData("fs.read", "/workspace/**", "/workspace", true)]
    [InlineData("fs.read", "/workspace/**", "/workspace2/a", false)]
    [InlineData("fs.read", "/workspace/**/*.ts", "/workspace/a/b/c.ts", true)]
    [InlineData("fs.read", "/workspace/**/*.ts", "/workspace/c.ts", true)]
    [InlineData("fs.read", "/workspace/**/*.ts", "/workspace/a/c.tsx", false)]
    [InlineData("fs.read", "/workspace/*.txt", "/workspace/a.txt.bak", false)]
    [InlineData("fs.read", "/workspace/a", "/workspace/a/b", false)]
    [InlineData("fs.read", "/workspace/a", "/x/workspace/a", false)]
    [InlineData("fs.read", "workspace/**", "/workspace/a", false)]
    [InlineData("fs.write", "/workspace/myapp/src/**", "/workspace/myapp/src/x.cs", true)]
    // canonicalisation: .. and . resolved, // collapsed, climbing above root never matches
    [InlineData("fs.read", "/workspace/**", "/workspace/../etc/passwd", false)]
    [InlineData("fs.read", "/workspace/**", "/workspace/a/../b", true)]
    [InlineData("fs.read", "/etc/**", "/workspace/../etc/passwd", true)]
    [InlineData("fs.read", "/**", "/../etc/passwd", false)]
    [InlineData("fs.read", "/workspace/*", "/workspace//a", true)]
    [InlineData("fs.read", "/workspace/*", "/workspace/./a", true)]
    [InlineData("fs.read", "/workspace/*", "//workspace///a/", true)]
    [InlineData("fs.read", "/a/b/*", "/a/b/c/..", false)]
    // URLs: scheme/host case, default ports, host-suffix and port attacks
    [InlineData("net.fetch", "https://api.example.com/**", "https://api.example.com/v1/x", true)]
    [InlineData("net.fetch", "https://api.example.com/**", "HTTPS://API.example.com:443/v1/x", true)]
    [InlineData("net.fetch", "https://api.example.com/**", "https://api.example.com", true)]
    [InlineData("net.fetch", "https://api.example.com/**", "https://api.example.com.evil.net/", false)]
    [InlineData("net.fetch", "https://api.example.com/**", "https://api.example.com:8443/", false)]
    [InlineData("net.fetch", "https://api.example.com/**", "http://api.example.com/v1", false)]
    [InlineData("net.fetch", "https://api.example.com/**", "https://evil.net/api.example.com/x", false)]
    [InlineData("net.fetch", "https://api.example.com/**", "https://api.example.com@evil.net/x", false)]
    [InlineData("net.fetch", "https://API.example.com:443/v1/*", "https://api.example.com/v1/search?q=a/b", true)]
    [InlineData("net.fetch", "https://api.example.com/v1/*", "https://api.example.com/v1/a/../../v2/x", false)]
    [InlineData("net.fetch", "https://api.example.com/v1/*", "https://api.example.com/v2/../v1/x", true)]
    [InlineData("net.fetch", "http://h.example/**", "http://h.example:80/a", true)]
    [InlineData("net.fetch", "https://*.example.com/**", "https://a.example.com/x", true)]
    [InlineData("net.fetch", "https://*.example.com/**", "https://example.com/x", false)]
    [InlineData("net.fetch", "https://api.example.com/**", "not a url", false)]
    [InlineData("net.fetch", "api.example.com/**", "https://api.example.com/x", false)]
    // dotted names: * does not cross '.' or '/'
    [InlineData("tool.call", "search.*", "search.web", true)]
    [InlineData("tool.call", "search.*", "search.web.deep", false)]
    [InlineData("tool.call", "search.**", "search.web.deep", true)]
    [InlineData("tool.call", "search.*", "search", false)]
    [InlineData("tool.call", "search.*", "research.web", false)]
    [InlineData("tool.call", "*", "anything", true)]
    [InlineData("tool.call", "*", "a.b", false)]
    [InlineData("tool.call", "**", "a.b/c", true)]
    [InlineData("tool.call", "search", "search", true)]
    [InlineData("x-vendor.acme.db", "tables.*", "tables.users", true)]
    // model names: '/' is the only separator
    [InlineData("model.use", "tier-fast/*", "tier-fast/small", true)]
    [InlineData("model.use", "tier-fast/*", "tier-fast/a/b", false)]
    [InlineData("model.use", "gpt-4*", "gpt-4.1-mini", true)]
    [InlineData("model.use", "anthropic/claude-3-haiku-*", "anthropic/claude-3-haiku-20240307", true)]
    [InlineData("model.use", "anthropic/claude-3-haiku-*", "anthropic/claude-3-opus-1", false)]
    // agents: bare pattern covers every version; pinned pattern checks the version
    [InlineData("agent.delegate", "summarize", "summarize@1.0.0", true)]
    [InlineData("agent.delegate", "summarize", "summarize", true)]
    [InlineData("agent.delegate", "summarize@1.*", "summarize@1.2.0", true)]
    [InlineData("agent.delegate", "summarize@1.*", "summarize@2.0.0", false)]
    [InlineData("agent.delegate", "summarize@1.0.0", "summarize", false)]
    [InlineData("agent.delegate", "team.*", "team.writer@3", true)]
    [InlineData("agent.delegate", "team.*", "team.writer.sub", false)]
    public void Matches_PatternAndTarget_ReturnsExpected(string ns, string pattern, string target, bool expected)
    {
        // Act
        var matches = LeasePattern.Matches(ns, pattern, target);

        // Assert
        Assert.Equal(expected, matches);
    }

    [Theory]
    [InlineData("fs.read", "/w/**", "/w/**", true)]
    [InlineData("fs.read", "/w/**", "/w/src/**", true)]
    [InlineData("fs.read", "/w/**", "/w/src/*.cs", true)]
    [InlineData("fs.read", "/w/**", "/w/a/../src/x", true)]
    [InlineData("fs.read", "/w/**", "/w/../etc/**", false)]
    [InlineData("fs.read", "/w/src/**", "/w/**", false)]
    [InlineData("fs.read", "/w/*", "/w/a", true)]
    [InlineData("fs.read", "/w/*", "/w/*", true)]
    [InlineData("fs.read", "/w/*", "/w/**", false)]
    [InlineData("fs.read", "/w/*.cs", "/w/a*.cs", false)]
    [InlineData("fs.read", "/**", "/anything/**", true)]
    [InlineData("net.fetch", "https://api.example.com/**", "https://API.example.com:443/v1/**", true)]
    [InlineData("net.fetch", "https://api.example.com/**", "https://api.example.com.evil.net/**", false)]
    [InlineData("tool.call", "search.**", "search.web", true)]
    [InlineData("tool.call", "search.*", "search.web", true)]
    [InlineData("tool.call", "search.*", "search.**", false)]
    [InlineData("tool.call", "search.web", "search.*", false)]
    [InlineData("model.use", "tier-fast/*", "tier-fast/a", true)]
    [InlineData("model.use", "tier-fast/*", "tier-slow/a", false)]
    [InlineData("agent.delegate", "summarize", "summarize@1.0.0", true)]
    [InlineData("agent.delegate", "summarize@1.0.0", "summarize", false)]
    [InlineData("agent.delegate", "team.**", "team.writer@2", true)]
    public void Covers_ParentAndChild_ReturnsExpected(string ns, string parent, string child, bool expected)
    {
        // Act
        var covers = LeasePattern.Covers(ns, parent, child);

        // Assert
        Assert.Equal(expected, covers);
    }

    [Fact]
    public void Matches_ManyDeepWildcards_CompletesQuickly()
    {
        // Arrange
        var pattern = "/" + string.Join('/', Enumerable.Repeat("**/a*", 40)) + "/b";
        var target = "/" + string.Join('/', Enumerable.Repeat("aaaaaaaaaa", 200));

        // Act
        var started = DateTime.UtcNow;
        var matches = LeasePattern.Matches("fs.read", pattern, target);

        // Assert
        Assert.False(matches);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));
    }
}
