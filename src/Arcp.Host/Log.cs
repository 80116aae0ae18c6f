namespace Arcp.Host;

internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "ARCP host listening on {Addresses}")]
    public static partial void Listening(ILogger logger, IEnumerable<string> addresses);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "No development token minted: bearer tokens or JWT keys are configured")]
    public static partial void DevelopmentTokenNotMintedConfigured(ILogger logger);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "No development token minted: the host listens on a non-loopback address; configure Arcp:Auth:Tokens or JWT keys")]
    public static partial void DevelopmentTokenNotMintedNotLoopback(ILogger logger);
}
