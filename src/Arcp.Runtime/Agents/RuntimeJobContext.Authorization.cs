using Arcp.Protocol.Errors;
using Arcp.Protocol.Leases;

namespace Arcp.Runtime.Agents;

internal sealed partial class RuntimeJobContext
{
    /// <inheritdoc />
    public override void Authorize(string capability, string target)
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
}
