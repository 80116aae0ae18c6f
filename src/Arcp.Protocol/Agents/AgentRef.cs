using System.Diagnostics.CodeAnalysis;

namespace Arcp.Protocol.Agents;

/// <summary>
/// An agent reference <c>name</c> or <c>name@version</c> where <c>name = [a-z0-9][a-z0-9._-]*</c> and
/// <c>version = [A-Za-z0-9.+_-]+</c> (ARCP §7.5).
/// </summary>
public sealed record AgentRef
{
    private AgentRef(string name, string? version)
    {
        Name = name;
        Version = version;
    }

    /// <summary>Gets the agent name.</summary>
    public string Name { get; }

    /// <summary>Gets the pinned version, or null for a bare name.</summary>
    public string? Version { get; }

    /// <summary>Creates a reference from validated parts.</summary>
    /// <exception cref="ArgumentException">The name or version does not match the grammar.</exception>
    public static AgentRef Create(string name, string? version = null)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException("Agent name must match [a-z0-9][a-z0-9._-]*.", nameof(name));
        }

        if (version is not null && !IsValidVersion(version))
        {
            throw new ArgumentException("Agent version must match [A-Za-z0-9.+_-]+.", nameof(version));
        }

        return new AgentRef(name, version);
    }

    /// <summary>Parses <c>name</c> or <c>name@version</c>; anything else (uppercase name, empty parts, extra <c>@</c>) fails.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out AgentRef? agentRef)
    {
        agentRef = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? text : text[..at];
        var version = at < 0 ? null : text[(at + 1)..];
        if (!IsValidName(name) || (version is not null && !IsValidVersion(version)))
        {
            return false;
        }

        agentRef = new AgentRef(name, version);
        return true;
    }

    /// <summary>Returns whether <paramref name="name"/> matches <c>[a-z0-9][a-z0-9._-]*</c>.</summary>
    public static bool IsValidName([NotNullWhen(true)] string? name)
    {
        if (string.IsNullOrEmpty(name) || !IsLowerAlnum(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsLowerAlnum(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns whether <paramref name="version"/> matches <c>[A-Za-z0-9.+_-]+</c>.</summary>
    public static bool IsValidVersion([NotNullWhen(true)] string? version)
    {
        if (string.IsNullOrEmpty(version))
        {
            return false;
        }

        foreach (var c in version)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '+' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns a reference pinned to <paramref name="version"/>.</summary>
    /// <exception cref="ArgumentException">The version does not match the grammar.</exception>
    public AgentRef WithVersion(string version) => Create(Name, version);

    /// <summary>Returns <c>name@version</c>, or <c>name</c> when no version is pinned.</summary>
    public override string ToString() => Version is null ? Name : $"{Name}@{Version}";

    private static bool IsLowerAlnum(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
