using Arcp.Testing;
using Azure.Data.Tables;

namespace Arcp.Azure.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class AzuriteSmokeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Table_InsertThenRead_ReturnsSameEntity()
    {
        // Arrange
        var table = new TableClient(azurite.ConnectionString, AzuriteFixture.UniqueTableName());
        await table.CreateIfNotExistsAsync();
        try
        {
            var entity = new TableEntity("p1", "r1") { ["Status"] = "running", ["Attempt"] = 2 };

            // Act
            await table.AddEntityAsync(entity);
            var read = await table.GetEntityAsync<TableEntity>("p1", "r1");

            // Assert
            Assert.Equal("running", read.Value.GetString("Status"));
            Assert.Equal(2, read.Value.GetInt32("Attempt"));
            Assert.NotEqual(default, read.Value.ETag);
        }
        finally
        {
            await table.DeleteAsync();
        }
    }
}
