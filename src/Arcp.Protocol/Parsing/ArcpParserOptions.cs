namespace Arcp.Protocol.Parsing;

/// <summary>Limits applied by <see cref="ArcpParser"/>.</summary>
public sealed class ArcpParserOptions
{
    /// <summary>Default maximum frame size: 1 MiB.</summary>
    public const int DefaultMaxFrameBytes = 1_048_576;

    /// <summary>Default maximum JSON nesting depth.</summary>
    public const int DefaultMaxDepth = 64;

    /// <summary>Gets the shared default options.</summary>
    public static ArcpParserOptions Default { get; } = new();

    /// <summary>Gets the maximum frame size in UTF-8 bytes; larger frames are refused before parsing.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxFrameBytes
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Must be positive.");
    } = DefaultMaxFrameBytes;

    /// <summary>Gets the maximum JSON nesting depth (1 to 256).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1 to 256.</exception>
    public int MaxDepth
    {
        get;
        init => field = value is > 0 and <= 256 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Must be between 1 and 256.");
    } = DefaultMaxDepth;
}
