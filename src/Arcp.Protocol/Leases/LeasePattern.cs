namespace Arcp.Protocol.Leases;

/// <summary>
/// Glob matching of lease patterns against operation targets, anchored at both ends.
/// </summary>
/// <remarks>
/// <para>Patterns and targets are split into segments; within a segment <c>*</c> matches any run of characters
/// (never a separator); a whole segment <c>**</c> matches zero or more segments. Other characters are literal.</para>
/// <para>Per namespace:</para>
/// <list type="bullet">
/// <item><c>fs.read</c>, <c>fs.write</c>: separator <c>/</c>. Both sides are canonicalised: empty segments
/// (<c>//</c>) and <c>.</c> are dropped, <c>..</c> removes the previous segment; a <c>..</c> that climbs above the
/// root (or the start of a relative path) makes the target match nothing. Absolute and relative paths never match
/// each other.</item>
/// <item><c>net.fetch</c>: the target must be an absolute URL. Scheme and host are lowercased, default ports
/// (80 for http, 443 for https) dropped, userinfo dropped, dot segments resolved; segments are the scheme,
/// the authority (<c>host[:port]</c>) and the path segments. Query and fragment are not matched, so a pattern
/// grants a host and path regardless of query.</item>
/// <item><c>model.use</c>: separator <c>/</c> only, so <c>gpt-4*</c> matches <c>gpt-4.1</c> and
/// <c>tier-fast/*</c> matches <c>tier-fast/a</c> but not <c>tier-fast/a/b</c>.</item>
/// <item><c>agent.delegate</c>: the name part is split on <c>.</c>; a pattern without <c>@</c> matches every
/// version of the agents it names; a pattern <c>name@version</c> also requires the version to match (the version
/// is a single segment).</item>
/// <item><c>tool.call</c>, vendor and other namespaces: separators <c>.</c> and <c>/</c>, treated alike, so
/// <c>search.*</c> matches <c>search.web</c> but not <c>search.web.deep</c>; <c>search.**</c> matches both.</item>
/// </list>
/// </remarks>
public static class LeasePattern
{
    private const string DeepWildcard = "**";

    /// <summary>Returns whether <paramref name="pattern"/> in namespace <paramref name="ns"/> grants <paramref name="target"/>.</summary>
    public static bool Matches(string ns, string pattern, string target)
    {
        ArgumentNullException.ThrowIfNull(ns);
        if (string.IsNullOrEmpty(pattern) || target is null)
        {
            return false;
        }

        if (ns == LeaseNamespaces.AgentDelegate)
        {
            return MatchesAgent(pattern, target);
        }

        var patternSegments = Canonicalize(ns, pattern, isPattern: true);
        var targetSegments = Canonicalize(ns, target, isPattern: false);
        return patternSegments is not null && targetSegments is not null && MatchSegments(patternSegments, targetSegments);
    }

    /// <summary>
    /// Returns whether every target granted by <paramref name="childPattern"/> is also granted by <paramref name="parentPattern"/>.
    /// Conservative: true only when the canonical patterns are identical, when the child has no wildcard and the parent
    /// matches it as a target, or when the parent is a wildcard-free prefix followed by a final <c>**</c> segment and the
    /// child starts with that same prefix. Anything else is reported as not covered.
    /// </summary>
    public static bool Covers(string ns, string parentPattern, string childPattern)
    {
        ArgumentNullException.ThrowIfNull(ns);
        if (string.IsNullOrEmpty(parentPattern) || string.IsNullOrEmpty(childPattern))
        {
            return false;
        }

        if (ns == LeaseNamespaces.AgentDelegate)
        {
            return CoversAgent(parentPattern, childPattern);
        }

        var parent = Canonicalize(ns, parentPattern, isPattern: true);
        var child = Canonicalize(ns, childPattern, isPattern: true);
        return parent is not null && child is not null && CoversSegments(parent, child);
    }

    internal static string[]? Canonicalize(string ns, string text, bool isPattern) => ns switch
    {
        LeaseNamespaces.FsRead or LeaseNamespaces.FsWrite => CanonicalizePath(text),
        LeaseNamespaces.NetFetch => isPattern ? CanonicalizeUrlPattern(text) : CanonicalizeUrl(text),
        LeaseNamespaces.ModelUse => text.Split('/'),
        _ => text.Split('.', '/'),
    };

    private static bool MatchesAgent(string pattern, string target)
    {
        var (patternName, patternVersion) = SplitAgent(pattern);
        var (targetName, targetVersion) = SplitAgent(target);
        if (!MatchSegments(patternName.Split('.'), targetName.Split('.')))
        {
            return false;
        }

        return patternVersion is null || (targetVersion is not null && MatchSegment(patternVersion, targetVersion));
    }

    private static bool CoversAgent(string parent, string child)
    {
        if (string.Equals(parent, child, StringComparison.Ordinal))
        {
            return true;
        }

        var (parentName, parentVersion) = SplitAgent(parent);
        var (childName, childVersion) = SplitAgent(child);
        if (parentVersion is not null && (childVersion is null || !CoversSegments([parentVersion], [childVersion])))
        {
            return false;
        }

        return CoversSegments(parentName.Split('.'), childName.Split('.'));
    }

    private static (string Name, string? Version) SplitAgent(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? (text, null) : (text[..at], text[(at + 1)..]);
    }

    private static bool CoversSegments(string[] parent, string[] child)
    {
        if (parent.AsSpan().SequenceEqual(child))
        {
            return true;
        }

        if (!child.Any(HasWildcard))
        {
            return MatchSegments(parent, child);
        }

        var prefixLength = parent.Length - 1;
        if (prefixLength < 0 || parent[^1] != DeepWildcard || child.Length < prefixLength)
        {
            return false;
        }

        for (var i = 0; i < prefixLength; i++)
        {
            if (HasWildcard(parent[i]) || !string.Equals(parent[i], child[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasWildcard(string segment) => segment.Contains('*', StringComparison.Ordinal);

    // Wildcard matching over segments: "**" matches any run of segments, every other pattern segment matches
    // exactly one target segment. Greedy with backtracking to the most recent "**", which is sufficient because a
    // later "**" can absorb anything an earlier one could. Linear-times-pattern, no recursion.
    private static bool MatchSegments(string[] pattern, string[] target)
    {
        int p = 0, t = 0, starP = -1, starT = -1;
        while (t < target.Length)
        {
            if (p < pattern.Length && pattern[p] == DeepWildcard)
            {
                starP = p++;
                starT = t;
            }
            else if (p < pattern.Length && MatchSegment(pattern[p], target[t]))
            {
                p++;
                t++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == DeepWildcard)
        {
            p++;
        }

        return p == pattern.Length;
    }

    // Same algorithm over characters with '*' as the wildcard.
    private static bool MatchSegment(string pattern, string target)
    {
        int p = 0, t = 0, starP = -1, starT = -1;
        while (t < target.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (p < pattern.Length && pattern[p] == target[t])
            {
                p++;
                t++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static string[]? CanonicalizePath(string path)
    {
        var absolute = path.StartsWith('/');
        var stack = new List<string>();
        if (absolute)
        {
            stack.Add(string.Empty);
        }

        var floor = stack.Count;
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (stack.Count == floor)
                {
                    return null;
                }

                stack.RemoveAt(stack.Count - 1);
                continue;
            }

            stack.Add(segment);
        }

        return stack.Count == 0 ? null : [.. stack];
    }

    private static string[]? CanonicalizeUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host) || url.Contains('*', StringComparison.Ordinal))
        {
            return null;
        }

        string authority;
        try
        {
            authority = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        var segments = new List<string> { uri.Scheme.ToLowerInvariant() + ":", authority.ToLowerInvariant() };
        segments.AddRange(uri.AbsolutePath.TrimStart('/').Split('/'));
        return [.. segments];
    }

    private static string[]? CanonicalizeUrlPattern(string pattern)
    {
        var schemeEnd = pattern.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return null;
        }

        var scheme = pattern[..schemeEnd].ToLowerInvariant();
        var rest = pattern[(schemeEnd + 3)..];
        var cut = rest.IndexOfAny(['/', '?', '#']);
        var authority = (cut < 0 ? rest : rest[..cut]).ToLowerInvariant();
        var path = cut < 0 || rest[cut] != '/' ? "/" : rest[cut..];
        var query = path.IndexOfAny(['?', '#']);
        if (query >= 0)
        {
            path = path[..query];
        }

        if (authority.Length == 0 || authority.Contains('@', StringComparison.Ordinal))
        {
            return null;
        }

        if ((scheme == "http" && authority.EndsWith(":80", StringComparison.Ordinal))
            || (scheme == "https" && authority.EndsWith(":443", StringComparison.Ordinal)))
        {
            authority = authority[..authority.LastIndexOf(':')];
        }

        // RFC 3986 remove_dot_segments: ".." at the root stays at the root, as it does for the target URL.
        var stack = new List<string>();
        var segments = path.TrimStart('/').Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            if (segment == ".")
            {
                if (last)
                {
                    stack.Add(string.Empty);
                }

                continue;
            }

            if (segment == "..")
            {
                if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }

                if (last)
                {
                    stack.Add(string.Empty);
                }

                continue;
            }

            stack.Add(segment);
        }

        if (stack.Count == 0)
        {
            stack.Add(string.Empty);
        }

        return [scheme + ":", authority, .. stack];
    }
}
