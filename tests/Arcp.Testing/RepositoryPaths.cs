namespace Arcp.Testing;

/// <summary>Locates the repository from a test's output folder.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ArcpFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find ArcpFunctions.sln above the test output folder.");
    });

    /// <summary>The folder holding <c>ArcpFunctions.sln</c>.</summary>
    public static string Root => s_root.Value;

    /// <summary>A file or folder relative to the repository root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);
}
