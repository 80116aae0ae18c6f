namespace Arcp.Infra.Tests.Bicep;

/// <summary>Locations in the repository, found by walking up from the test assembly to the solution file.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Infra => Path.Combine(Root, "infra");

    public static string MainTemplate => Path.Combine(Infra, "main.bicep");

    public static string MainParameters => Path.Combine(Infra, "main.bicepparam");

    /// <summary>Every Bicep file under infra/, relative to it, with forward slashes.</summary>
    public static IReadOnlyList<string> BicepFiles() =>
        Directory.EnumerateFiles(Infra, "*.bicep*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".bicep", StringComparison.Ordinal) || f.EndsWith(".bicepparam", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Infra, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ArcpFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ArcpFunctions.sln was not found above the test assembly.");
    }
}
