namespace Arcp.Infra.Tests.Bicep;

/// <summary>Exit code and output of one Bicep CLI run.</summary>
internal sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}
