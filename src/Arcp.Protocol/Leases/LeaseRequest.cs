using System.Diagnostics.CodeAnalysis;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Leases;

/// <summary>
/// A validated lease: namespace → non-empty pattern strings, with <c>cost.budget</c> parsed into per-currency
/// decimal totals (duplicate currencies are summed).
/// </summary>
public sealed class LeaseRequest
{
    private const string Field = "payload.lease_request";

    private LeaseRequest(IReadOnlyDictionary<string, IReadOnlyList<string>> grants, IReadOnlyDictionary<string, decimal> budget)
    {
        Grants = grants;
        Budget = budget;
    }

    /// <summary>Gets the empty lease, which grants nothing.</summary>
    public static LeaseRequest Empty { get; } = new(new Dictionary<string, IReadOnlyList<string>>(), new Dictionary<string, decimal>());

    /// <summary>Gets the grants as requested (namespace order preserved).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Grants { get; }

    /// <summary>Gets the budget per currency (in order of first appearance); empty when <c>cost.budget</c> is absent.</summary>
    public IReadOnlyDictionary<string, decimal> Budget { get; }

    /// <summary>Gets whether the lease carries <c>cost.budget</c>.</summary>
    public bool HasBudget => Grants.ContainsKey(LeaseNamespaces.CostBudget);

    /// <summary>Validates a raw <c>lease_request</c> (null means empty); failures are <c>INVALID_REQUEST</c> naming the field.</summary>
    public static bool TryParse(
        IReadOnlyDictionary<string, IReadOnlyList<string>>? raw,
        [NotNullWhen(true)] out LeaseRequest? lease,
        [NotNullWhen(false)] out ProtocolError? error)
    {
        lease = null;
        if (raw is null || raw.Count == 0)
        {
            lease = Empty;
            error = null;
            return true;
        }

        var grants = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var budget = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (ns, patterns) in raw)
        {
            var field = $"{Field}.{ns}";
            if (!LeaseNamespaces.IsValid(ns))
            {
                error = ProtocolError.InvalidRequest($"Unknown lease namespace '{ns}'.", field);
                return false;
            }

            if (patterns is null)
            {
                error = ProtocolError.InvalidRequest($"Lease namespace '{ns}' must map to an array of strings.", field);
                return false;
            }

            if (ns == LeaseNamespaces.ModelUse && patterns.Count == 0)
            {
                error = ProtocolError.InvalidRequest("model.use must list at least one pattern.", field);
                return false;
            }

            foreach (var pattern in patterns)
            {
                if (string.IsNullOrEmpty(pattern))
                {
                    error = ProtocolError.InvalidRequest($"Lease namespace '{ns}' must contain only non-empty strings.", field);
                    return false;
                }

                if (ns == LeaseNamespaces.CostBudget && !AddBudget(budget, pattern))
                {
                    error = ProtocolError.InvalidRequest($"Invalid cost.budget entry '{pattern}': expected CUR:decimal with a non-negative amount.", field);
                    return false;
                }
            }

            grants[ns] = patterns.ToArray();
        }

        lease = new LeaseRequest(grants, budget);
        error = null;
        return true;
    }

    /// <summary>Returns the patterns of <paramref name="ns"/>, or an empty list when the namespace is absent.</summary>
    public IReadOnlyList<string> GetPatterns(string ns) => Grants.TryGetValue(ns, out var patterns) ? patterns : [];

    /// <summary>Returns whether some pattern of <paramref name="ns"/> matches <paramref name="target"/> (deny when the namespace is absent).</summary>
    public bool Allows(string ns, string target)
    {
        foreach (var pattern in GetPatterns(ns))
        {
            if (LeasePattern.Matches(ns, pattern, target))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Checks that this (child) lease does not expand <paramref name="parent"/>: every pattern of every namespace is
    /// covered by a parent pattern of the same namespace (<see cref="LeasePattern.Covers"/>), and every child budget
    /// currency is present in <paramref name="parentRemainingBudget"/> with an amount not above it. A child budget
    /// under a parent without <c>cost.budget</c> only restricts and is allowed. Expiry is checked separately
    /// (<see cref="LeaseExpiry.Effective"/>). Failure is <c>LEASE_SUBSET_VIOLATION</c>.
    /// </summary>
    public bool IsSubsetOf(LeaseRequest parent, IReadOnlyDictionary<string, decimal>? parentRemainingBudget, [NotNullWhen(false)] out ProtocolError? error)
    {
        ArgumentNullException.ThrowIfNull(parent);
        foreach (var (ns, patterns) in Grants)
        {
            if (ns == LeaseNamespaces.CostBudget)
            {
                continue;
            }

            var parentPatterns = parent.GetPatterns(ns);
            foreach (var pattern in patterns)
            {
                if (!parentPatterns.Any(p => LeasePattern.Covers(ns, p, pattern)))
                {
                    error = ProtocolError.WithDetails(
                        ErrorCode.LeaseSubsetViolation,
                        $"Lease grant '{ns}: {pattern}' is not covered by the parent lease.",
                        ("namespace", ns),
                        ("pattern", pattern));
                    return false;
                }
            }
        }

        if (parent.HasBudget)
        {
            var remaining = parentRemainingBudget ?? parent.Budget;
            foreach (var (currency, amount) in Budget)
            {
                if (!remaining.TryGetValue(currency, out var available) || amount > available)
                {
                    error = ProtocolError.WithDetails(
                        ErrorCode.LeaseSubsetViolation,
                        $"Budget {currency} exceeds the parent's remaining budget.",
                        ("namespace", LeaseNamespaces.CostBudget),
                        ("currency", currency));
                    return false;
                }
            }
        }

        error = null;
        return true;
    }

    private static bool AddBudget(Dictionary<string, decimal> budget, string entry)
    {
        if (!BudgetAmount.TryParse(entry, out var amount))
        {
            return false;
        }

        try
        {
            budget[amount.Currency] = budget.GetValueOrDefault(amount.Currency) + amount.Amount;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
