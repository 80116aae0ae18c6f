namespace Arcp.Testing;

// xunit finds collection definitions only in the test assembly itself, so this file is compiled into each
// test project that sets UsesAzurite (see tests/Directory.Build.props).
[CollectionDefinition(AzuriteCollection.Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    /// <summary>The collection every storage-backed test joins.</summary>
    public const string Name = "Azurite";
}
