namespace Arcp.Protocol.Events;

/// <summary><c>thought</c> body <c>{text}</c>.</summary>
/// <param name="Text">Reasoning text.</param>
public sealed record ThoughtBody(string Text) : EventBody
{
    /// <inheritdoc/>
    public override string GetKind() => EventKinds.Thought;
}
