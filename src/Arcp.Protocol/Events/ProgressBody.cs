using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Events;

/// <summary><c>progress</c> body <c>{current, total?, units?, message?}</c>; <c>current</c> ≥ 0 and ≤ <c>total</c> when present.</summary>
/// <param name="Current">Work done so far.</param>
/// <param name="Total">Total work; absent means indeterminate.</param>
/// <param name="Units">Unit label.</param>
/// <param name="Message">Progress message.</param>
public sealed record ProgressBody(double Current, double? Total = null, string? Units = null, string? Message = null) : EventBody
{
    /// <inheritdoc/>
    public override string GetKind() => EventKinds.Progress;

    /// <inheritdoc/>
    public override ProtocolError? Validate() =>
        !double.IsFinite(Current) || Current < 0 ? ProtocolError.InvalidRequest("progress current must be a non-negative number.", "body.current")
        : Total is { } total && (!double.IsFinite(total) || total < 0) ? ProtocolError.InvalidRequest("progress total must be a non-negative number.", "body.total")
        : Current > Total ? ProtocolError.InvalidRequest("progress current must not exceed total.", "body.current")
        : null;
}
