using System.Diagnostics.CodeAnalysis;
using System.Text;
using Azure;
using Azure.Core;

namespace Arcp.Testing.Faults;

/// <summary>A storage error answer made up by the fault layer, shaped as the service's own (error code header and body).</summary>
internal sealed class InjectedResponse : Response
{
    private readonly Dictionary<string, string> _headers;

    public InjectedResponse(FaultDecision decision, bool json)
    {
        Status = decision.Status;
        ReasonPhrase = decision.Status == 503 ? "Server Busy" : "Operation Timed Out";
        _headers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["x-ms-error-code"] = decision.ErrorCode,
            ["Content-Type"] = FaultDecision.ErrorContentType(json),
        };
        ContentStream = new MemoryStream(Encoding.UTF8.GetBytes(decision.ErrorBody(json)));
    }

    public override int Status { get; }

    public override string ReasonPhrase { get; }

    /// <summary>Always an error; the transport, which would classify it, is never reached.</summary>
    public override bool IsError => true;

    public override Stream? ContentStream { get; set; }

    public override string ClientRequestId { get; set; } = string.Empty;

    public override void Dispose() => ContentStream?.Dispose();

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value) => _headers.TryGetValue(name, out value);

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        values = _headers.TryGetValue(name, out var value) ? [value] : null;
        return values is not null;
    }

    protected override bool ContainsHeader(string name) => _headers.ContainsKey(name);

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers.Select(h => new HttpHeader(h.Key, h.Value));
}
