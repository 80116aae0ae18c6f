namespace Arcp.Runtime.Sessions;

/// <summary>The sessions counted against one principal's cap, with the version they were read at.</summary>
public sealed record PrincipalSlots(string Principal, IReadOnlyList<string> SessionIds, string Version);
