using Arcp.Testing.Faults;

namespace Arcp.Benchmarks.Cost;

/// <summary>
/// One billed storage transaction, classified: whose, which service, which resource (table, queue or container with
/// the runtime's prefix or the hub name taken off, so runs with different names compare), and which operation.
/// </summary>
/// <param name="Entities">Entities the request wrote: the operations inside a table batch, 1 for other writes, 0 for reads.</param>
/// <param name="Partition">The table partition written, when the request names one (the hot-partition measure).</param>
internal sealed record StorageOperation(StorageOwner Owner, StorageService Service, string Resource, string Operation, bool Write, int Entities, string? Partition)
{
    /// <summary>The grouping key of a report line: <c>arcp table jobs batch</c>.</summary>
    public string Key => $"{Owner.ToString().ToLowerInvariant()} {Service.ToString().ToLowerInvariant()} {Resource} {Operation}";
}
