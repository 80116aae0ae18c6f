using System.Diagnostics.CodeAnalysis;

namespace Arcp.Protocol.Leases;

/// <summary>Reserved lease namespaces and the rule for vendor namespaces <c>x-vendor.&lt;vendor&gt;.&lt;name&gt;</c>.</summary>
public static class LeaseNamespaces
{
    /// <summary>Filesystem read; path globs.</summary>
    public const string FsRead = "fs.read";

    /// <summary>Filesystem write; path globs.</summary>
    public const string FsWrite = "fs.write";

    /// <summary>Outbound HTTP(S); URL globs.</summary>
    public const string NetFetch = "net.fetch";

    /// <summary>Tool calls; tool name globs.</summary>
    public const string ToolCall = "tool.call";

    /// <summary>Delegation; agent globs.</summary>
    public const string AgentDelegate = "agent.delegate";

    /// <summary>Cost ceilings; <c>CUR:decimal</c> amounts.</summary>
    public const string CostBudget = "cost.budget";

    /// <summary>LLM model selection; model name globs.</summary>
    public const string ModelUse = "model.use";

    /// <summary>Prefix of vendor namespaces.</summary>
    public const string VendorPrefix = "x-vendor.";

    /// <summary>Gets the reserved namespaces.</summary>
    public static IReadOnlyList<string> Reserved { get; } = [FsRead, FsWrite, NetFetch, ToolCall, AgentDelegate, CostBudget, ModelUse];

    /// <summary>Returns whether <paramref name="ns"/> is reserved or a well-formed vendor namespace.</summary>
    public static bool IsValid([NotNullWhen(true)] string? ns) => ns is not null && (Reserved.Contains(ns) || IsVendor(ns));

    /// <summary>Returns whether <paramref name="ns"/> is <c>x-vendor.&lt;vendor&gt;.&lt;name&gt;</c> with <c>vendor = [A-Za-z0-9_-]+</c> and <c>name = [A-Za-z0-9_-]+(.[A-Za-z0-9_-]+)*</c>.</summary>
    public static bool IsVendor([NotNullWhen(true)] string? ns)
    {
        if (ns is null || !ns.StartsWith(VendorPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = ns[VendorPrefix.Length..].Split('.');
        if (parts.Length < 2)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Length == 0)
            {
                return false;
            }

            foreach (var c in part)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
