using System.Text.Json;
using Microsoft.Extensions.Configuration.Memory;

namespace Arcp.Host.Configuration;

/// <summary>
/// Reads the <c>Values</c> section of a Functions-format <c>local.settings.json</c> so both hosts share one settings file.
/// </summary>
internal static class LocalSettingsConfigurationExtensions
{
    public const string FileName = "local.settings.json";

    /// <summary>
    /// Puts <c>local.settings.json</c> <c>Values</c> (keys with <c>__</c> become <c>:</c>) underneath every other source,
    /// so environment variables and command-line arguments always win over the file.
    /// </summary>
    public static IConfigurationBuilder AddLocalSettingsAsLowestPrecedence(this IConfigurationBuilder builder, string? path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (path is not null && File.Exists(path))
        {
            builder.Sources.Insert(0, new MemoryConfigurationSource { InitialData = ReadValues(path) });
        }

        return builder;
    }

    /// <summary>Finds <c>local.settings.json</c> in <paramref name="startDirectory"/> or the nearest parent that has one.</summary>
    public static string? FindSettingsFile(string startDirectory)
    {
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    internal static Dictionary<string, string?> ReadValues(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.TryGetProperty("Values", out var section) && section.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in section.EnumerateObject())
            {
                values[property.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Null => null,
                    _ => property.Value.GetRawText(),
                };
            }
        }

        return values;
    }
}
