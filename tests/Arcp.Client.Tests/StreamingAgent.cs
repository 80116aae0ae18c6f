using System.Text.Json;
using Arcp.Agents.Sdk;

namespace Arcp.Client.Tests;

/// <summary>Test agent <c>stream</c> — input <c>{"bytes": N}</c>: streams N bytes of text as <c>result_chunk</c> events.</summary>
internal sealed class StreamingAgent : IAgent
{
    public const string Name = "stream";

    /// <summary>The byte at position <paramref name="index"/> of every streamed result: a recognisable repeating pattern.</summary>
    public static char CharAt(long index) => (char)('a' + (index % 26));

    public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var total = context.Input.GetProperty("bytes").GetInt64();
        await context.StreamTextResultAsync(Pieces(total), summary: $"{total} bytes").ConfigureAwait(false);
        return null;
    }

    private static async IAsyncEnumerable<string> Pieces(long total)
    {
        const int PieceSize = 700 * 1024;
        for (long offset = 0; offset < total; offset += PieceSize)
        {
            var length = (int)Math.Min(PieceSize, total - offset);
            yield return string.Create(length, offset, static (span, start) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = CharAt(start + i);
                }
            });
            await Task.Yield();
        }
    }
}
