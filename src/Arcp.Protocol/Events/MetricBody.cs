namespace Arcp.Protocol.Events;

/// <summary><c>metric</c> body <c>{name, value, unit?, dimensions?}</c>; <c>cost.*</c> metrics whose unit is a budgeted currency decrement that budget.</summary>
/// <param name="Name">Metric name.</param>
/// <param name="Value">Value, decimal so that cost accounting is exact.</param>
/// <param name="Unit">Unit or currency.</param>
/// <param name="Dimensions">String dimensions.</param>
public sealed record MetricBody(string Name, decimal Value, string? Unit = null, IReadOnlyDictionary<string, string>? Dimensions = null) : EventBody
{
    /// <summary>Prefix of cost metrics.</summary>
    public const string CostPrefix = "cost.";

    /// <summary>Name of the remaining-budget metric (never decrements).</summary>
    public const string BudgetRemaining = "cost.budget.remaining";

    /// <inheritdoc/>
    public override string GetKind() => EventKinds.Metric;

    /// <summary>Returns whether this metric reports a cost (<c>cost.*</c> other than <c>cost.budget.remaining</c>, with a unit).</summary>
    public bool IsCost() => Name.StartsWith(CostPrefix, StringComparison.Ordinal) && Name != BudgetRemaining && !string.IsNullOrEmpty(Unit);
}
