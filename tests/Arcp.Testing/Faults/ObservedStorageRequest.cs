namespace Arcp.Testing.Faults;

/// <summary>One request the proxy forwarded and storage answered.</summary>
/// <param name="Service">The service, by the port the request arrived on.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="RawTarget">Path and query exactly as the client encoded them.</param>
/// <param name="Status">Storage's status code.</param>
/// <param name="Body">The request body (empty when there was none).</param>
public sealed record ObservedStorageRequest(StorageService Service, string Method, string RawTarget, int Status, byte[]? Body);
