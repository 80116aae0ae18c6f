namespace Arcp.Benchmarks.Reference;

/// <summary>Another ARCP runtime to measure beside this one: its endpoint, its bearer token and, for CPU figures, its process id.</summary>
internal sealed record ReferenceRuntime(Uri Endpoint, string Token, int? ProcessId);
