using Arcp.Protocol.Messages;

namespace Arcp.Client.Listing;

/// <summary>One page of <see cref="ArcpClient.ListJobsAsync"/>.</summary>
/// <param name="Jobs">The jobs of this page, in creation order.</param>
/// <param name="NextCursor">Cursor of the next page; null on the last page.</param>
public sealed record JobPage(IReadOnlyList<JobListEntry> Jobs, string? NextCursor);
