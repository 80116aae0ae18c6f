using DurableTask.Core;

namespace Arcp.Azure.Durable;

/// <summary>Registers a named task with <see cref="TaskHubWorker"/>; each work item gets a fresh object from the factory.</summary>
internal sealed class ShimObjectCreator<T> : ObjectCreator<T>
{
    private readonly Func<T> _create;

    public ShimObjectCreator(string name, Func<T> create)
    {
        Name = name;
        Version = string.Empty;
        _create = create;
    }

    public override T Create() => _create();
}
