namespace Arcp.Cli;

/// <summary>The command line asks for something impossible; reported as one line, exit code <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
