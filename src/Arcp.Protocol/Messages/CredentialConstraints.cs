using System.Text.Json.Serialization;

namespace Arcp.Protocol.Messages;

/// <summary>Read-only echo of the lease restrictions baked into a provisioned credential.</summary>
/// <param name="CostBudget">The <c>cost.budget</c> amounts enforced upstream.</param>
/// <param name="ModelUse">The <c>model.use</c> patterns enforced upstream.</param>
/// <param name="ExpiresAt">Credential expiry (UTC, <c>Z</c>).</param>
public sealed record CredentialConstraints(
    [property: JsonPropertyName("cost.budget")] IReadOnlyList<string>? CostBudget = null,
    [property: JsonPropertyName("model.use")] IReadOnlyList<string>? ModelUse = null,
    string? ExpiresAt = null);
