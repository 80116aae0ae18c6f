namespace Arcp.Benchmarks.Cost;

/// <summary>Whose request a storage transaction was: the runtime's own tables and container, or the Durable task hub's.</summary>
internal enum StorageOwner
{
    Arcp,
    Durable,
    Other,
}
