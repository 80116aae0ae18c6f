using Arcp.Protocol.Errors;
using Arcp.Protocol.Leases;

namespace Arcp.Runtime.Agents;

public sealed partial class JobContext
{
    /// <summary>
    /// Checks an authority-bearing operation against the lease before it is dispatched (§9.3), in the order expiry,
    /// budget, pattern. Throws <see cref="ArcpException"/> with <c>LEASE_EXPIRED</c>, <c>BUDGET_EXHAUSTED</c> or
    /// <c>PERMISSION_DENIED</c>; the agent may catch it and carry on with other work.
    /// </summary>
    /// <param name="capability">The lease namespace, e.g. <c>tool.call</c>, <c>fs.read</c>, <c>net.fetch</c>, <c>model.use</c>.</param>
    /// <param name="target">What the operation touches: a tool name, a path, a URL, a model id.</param>
    public void Authorize(string capability, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(capability);
        ArgumentNullException.ThrowIfNull(target);

        if (Definition.ExpiresAt is { } expiresAt && LeaseExpiry.IsExpired(expiresAt, _time.GetUtcNow()))
        {
            throw new ArcpException(ErrorCode.LeaseExpired, $"The lease expired at {Protocol.Json.ArcpTimestamp.Format(expiresAt)}.");
        }

        // Budget gates every operation through the lease except model selection, which is governed by model.use (§9.6).
        if (capability != LeaseNamespaces.ModelUse)
        {
            lock (_gate)
            {
                foreach (var (currency, remaining) in _budget)
                {
                    if (remaining <= 0)
                    {
                        throw new ArcpException(ErrorCode.BudgetExhausted, $"The {currency} budget is exhausted.");
                    }
                }
            }
        }

        if (!Lease.Allows(capability, target))
        {
            throw new ArcpException(ErrorCode.PermissionDenied, $"The lease does not grant {capability} on '{target}'.");
        }
    }

    /// <summary>Checks that the lease's <c>model.use</c> covers <paramref name="model"/> (§9.7).</summary>
    public void AuthorizeModel(string model) => Authorize(LeaseNamespaces.ModelUse, model);
}
