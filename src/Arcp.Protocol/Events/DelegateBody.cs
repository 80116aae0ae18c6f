using System.Text.Json;
using Arcp.Protocol.Leases;

namespace Arcp.Protocol.Events;

/// <summary><c>delegate</c> body: the union of the keys clients read, <c>{child_job_id, delegate_id, agent, input?, lease_request?, lease_constraints?}</c>.</summary>
/// <param name="Agent">Delegated agent reference.</param>
/// <param name="ChildJobId">Child job id.</param>
/// <param name="DelegateId">Delegation id.</param>
/// <param name="Input">Child input.</param>
/// <param name="LeaseRequest">Child lease.</param>
/// <param name="LeaseConstraints">Child constraints.</param>
public sealed record DelegateBody(
    string Agent,
    string? ChildJobId = null,
    string? DelegateId = null,
    JsonElement? Input = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? LeaseRequest = null,
    LeaseConstraints? LeaseConstraints = null) : EventBody
{
    /// <inheritdoc/>
    public override string GetKind() => EventKinds.Delegate;
}
