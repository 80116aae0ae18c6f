namespace Arcp.Protocol.Events;

/// <summary>Log levels accepted by every client.</summary>
public static class LogLevels
{
    /// <summary><c>trace</c>.</summary>
    public const string Trace = "trace";

    /// <summary><c>debug</c>.</summary>
    public const string Debug = "debug";

    /// <summary><c>info</c>.</summary>
    public const string Info = "info";

    /// <summary><c>warn</c>.</summary>
    public const string Warn = "warn";

    /// <summary><c>error</c>.</summary>
    public const string Error = "error";

    /// <summary><c>critical</c>.</summary>
    public const string Critical = "critical";

    /// <summary>Gets all levels.</summary>
    public static IReadOnlyList<string> All { get; } = [Trace, Debug, Info, Warn, Error, Critical];
}
