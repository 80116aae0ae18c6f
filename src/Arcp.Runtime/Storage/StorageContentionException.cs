namespace Arcp.Runtime.Storage;

/// <summary>A conditional write kept losing far beyond any plausible race: treated as an outage.</summary>
internal sealed class StorageContentionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageContentionException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public StorageContentionException() { }

    /// <summary>Creates the exception.</summary>
    public StorageContentionException(string message, Exception innerException) : base(message, innerException) { }
}
