namespace Arcp.Testing.Faults;

/// <summary>The storage service a proxied request went to, told by the proxy port it arrived on.</summary>
public enum StorageService
{
    Blob,
    Queue,
    Table,
}
