using System.Runtime.CompilerServices;
using Arcp.Client.Connection;
using Arcp.Client.Listing;
using Arcp.Protocol.Messages;

namespace Arcp.Client;

public sealed partial class ArcpClient
{
    /// <summary>
    /// Lists the principal's jobs page by page (needs <c>list_jobs</c>), following <c>next_cursor</c> until the last page.
    /// </summary>
    /// <param name="filter">Status, agent and creation-time filters.</param>
    /// <param name="pageSize">Jobs per page; the runtime's default when null.</param>
    /// <param name="cancellationToken">Stops the listing.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is not positive.</exception>
    /// <exception cref="Errors.ArcpErrorException">The runtime refused the request (e.g. <c>list_jobs</c> not negotiated).</exception>
    public async IAsyncEnumerable<JobPage> ListJobsAsync(ListJobsFilter? filter = null, int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (pageSize is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, nameof(pageSize));
        }

        string? cursor = null;
        do
        {
            var id = _ids.NewMessageId();
            var reply = await RequestAsync(new PendingRequest(id, PendingKind.ListJobs, Frame(new SessionListJobs(filter, pageSize, cursor), id: id)), cancellationToken).ConfigureAwait(false);
            var page = (SessionJobs)reply.Payload;
            yield return new JobPage(page.Jobs, page.NextCursor);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }
}
