namespace Arcp.Host;

internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "ARCP host listening on {Addresses}")]
    public static partial void Listening(ILogger logger, IEnumerable<string> addresses);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Storage is not reachable yet")]
    public static partial void StorageUnreachable(ILogger logger, Exception exception);
}
