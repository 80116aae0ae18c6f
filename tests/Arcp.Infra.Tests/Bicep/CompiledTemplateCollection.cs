namespace Arcp.Infra.Tests.Bicep;

[CollectionDefinition(Name)]
public sealed class CompiledTemplateCollection : ICollectionFixture<CompiledTemplateFixture>
{
    public const string Name = "Compiled main.bicep";
}
