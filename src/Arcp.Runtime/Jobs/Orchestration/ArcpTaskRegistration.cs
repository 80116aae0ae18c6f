namespace Arcp.Runtime.Jobs.Orchestration;

/// <summary>A durable task name and the class that implements it (resolved from the container per execution).</summary>
/// <param name="Name">The task name recorded in orchestration history.</param>
/// <param name="Type">A <c>TaskOrchestrator&lt;,&gt;</c> or <c>TaskActivity&lt;,&gt;</c> class.</param>
internal sealed record ArcpTaskRegistration(string Name, Type Type);
