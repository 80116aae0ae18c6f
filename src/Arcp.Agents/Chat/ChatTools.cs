using System.Globalization;
using Microsoft.Extensions.AI;

namespace Arcp.Agents.Chat;

/// <summary>The small set of demo tools a <c>chat</c> job may offer its model (input <c>"tools": [...]</c>).</summary>
internal static class ChatTools
{
    /// <summary>Names of the tools, in the order they are documented.</summary>
    public static readonly IReadOnlyList<string> Names = ["clock", "word_count"];

    /// <summary>Creates the named tools; unknown names are the submitter's error.</summary>
    public static IReadOnlyList<AIFunction> Create(IEnumerable<string> names, TimeProvider timeProvider) =>
        names.Select(name => name switch
        {
            "clock" => AIFunctionFactory.Create(
                () => timeProvider.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                "clock",
                "Returns the current date and time in UTC (ISO 8601)."),
            "word_count" => AIFunctionFactory.Create(
                (string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length,
                "word_count",
                "Counts the words of a text."),
            _ => throw new Protocol.Errors.ArcpException(Protocol.Errors.ErrorCode.InvalidRequest, $"input.tools: unknown tool '{name}' (known: {string.Join(", ", Names)})."),
        }).ToList();
}
