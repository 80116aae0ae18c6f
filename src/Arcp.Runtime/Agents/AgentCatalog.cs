using System.Diagnostics.CodeAnalysis;
using Arcp.Protocol.Agents;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Agents;

/// <summary>
/// The registered agents: resolves <c>name</c> / <c>name@version</c> (§7.5) and produces the welcome inventory.
/// A bare name resolves to the registered default, else to the first registered version.
/// </summary>
public sealed class AgentCatalog
{
    private readonly Dictionary<string, List<AgentRegistration>> _byName = new(StringComparer.Ordinal);

    /// <summary>Builds the catalog; rejects invalid names and duplicate versions at start-up.</summary>
    public AgentCatalog(IEnumerable<AgentRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        foreach (var registration in registrations)
        {
            if (!AgentRef.IsValidName(registration.Name) || !AgentRef.IsValidVersion(registration.Version))
            {
                throw new ArgumentException($"'{registration.Reference}' is not a valid agent reference.", nameof(registrations));
            }

            var versions = _byName.TryGetValue(registration.Name, out var list) ? list : _byName[registration.Name] = [];
            if (versions.Any(v => v.Version == registration.Version))
            {
                throw new ArgumentException($"Agent {registration.Reference} is registered twice.", nameof(registrations));
            }

            versions.Add(registration);
        }

        Inventory = _byName
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new AgentInfo(kv.Key, kv.Value.Select(v => v.Version).ToList(), DefaultOf(kv.Value).Version))
            .ToList();
    }

    /// <summary>The <c>capabilities.agents</c> of <c>session.welcome</c>.</summary>
    public IReadOnlyList<AgentInfo> Inventory { get; }

    /// <summary>Resolves a submitted agent reference, or explains why it cannot run.</summary>
    public bool TryResolve(string agent, [NotNullWhen(true)] out AgentRegistration? registration, [NotNullWhen(false)] out ProtocolError? error)
    {
        registration = null;
        if (!AgentRef.TryParse(agent, out var reference))
        {
            error = ProtocolError.InvalidRequest($"'{agent}' is not a valid agent reference.", "payload.agent");
            return false;
        }

        if (!_byName.TryGetValue(reference.Name, out var versions))
        {
            error = ProtocolError.WithDetails(ErrorCode.AgentNotAvailable, $"No agent named '{reference.Name}' is registered.", ("agent", reference.Name));
            return false;
        }

        registration = reference.Version is null ? DefaultOf(versions) : versions.FirstOrDefault(v => v.Version == reference.Version);
        if (registration is null)
        {
            error = ProtocolError.WithDetails(ErrorCode.AgentVersionNotAvailable, $"Agent '{reference.Name}' has no version '{reference.Version}'.", ("agent", reference.Name), ("version", reference.Version!));
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Finds the exact <c>name@version</c> a job was resolved to.</summary>
    public AgentRegistration? Find(string resolvedReference) =>
        AgentRef.TryParse(resolvedReference, out var reference) && reference.Version is not null && _byName.TryGetValue(reference.Name, out var versions)
            ? versions.FirstOrDefault(v => v.Version == reference.Version)
            : null;

    private static AgentRegistration DefaultOf(List<AgentRegistration> versions) => versions.FirstOrDefault(v => v.IsDefault) ?? versions[0];
}
