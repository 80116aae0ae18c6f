using System.Text;
using System.Text.Json;
using Arcp.Agents.Sdk;

namespace Arcp.Agents;

/// <summary>
/// <c>report</c> — input <c>{"size_kb": N}</c>: streams an N KiB text report as <c>result_chunk</c> events (64 KiB
/// pieces, larger chunks split by the runtime at 1 MiB), each piece a durable step; the terminal <c>job.result</c>
/// references the streamed result.
/// </summary>
public sealed class ReportAgent : IAgent
{
    private const int PieceBytes = 64 * 1024;

    /// <inheritdoc />
    public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sizeKb = AgentInput.Integer(context.Input, "size_kb", 256, 0, 256 * 1024);
        await context.StreamTextResultAsync(Pieces(sizeKb * 1024, cancellationToken), $"A report of {sizeKb} KiB.").ConfigureAwait(false);
        return null;
    }

    /// <summary>Deterministic text, so a reader can check the reassembled result.</summary>
    public static string Content(long offset, int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append((char)('a' + ((offset + i) % 26)));
        }

        return builder.ToString();
    }

    private static async IAsyncEnumerable<string> Pieces(long total, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (long offset = 0; offset < total; offset += PieceBytes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Content(offset, (int)Math.Min(PieceBytes, total - offset));
            await Task.Yield();
        }
    }
}
