using Arcp.Protocol.Events;
using Arcp.Runtime.Jobs;

namespace Arcp.Runtime.Agents;

internal sealed partial class RuntimeJobContext
{
    private readonly Dictionary<string, decimal> _lastReportedRemaining = new(StringComparer.Ordinal);

    /// <summary>
    /// Forwards the metric; a <c>cost.*</c> metric in a budgeted currency with a non-negative value decrements that
    /// counter in the same append, then a <c>cost.budget.remaining</c> metric follows when the change is material
    /// (at least 5 % of the initial amount or one unit) or the counter first reaches zero.
    /// </summary>
    private async Task EmitMetricAsync(MetricBody metric)
    {
        if (!metric.IsCost() || metric.Value < 0 || !Definition.InitialBudget.ContainsKey(metric.Unit!))
        {
            await EmitRawAsync(metric, progress: null).ConfigureAwait(false);
            return;
        }

        MetricBody? remainingMetric;
        Dictionary<string, decimal> snapshot;
        lock (_gate)
        {
            var currency = metric.Unit!;
            var before = _budget[currency];
            var after = before - metric.Value;
            _budget[currency] = after;
            snapshot = new Dictionary<string, decimal>(_budget, StringComparer.Ordinal);

            var lastReported = _lastReportedRemaining.TryGetValue(currency, out var last) ? last : Definition.InitialBudget[currency];
            var threshold = Math.Max(Definition.InitialBudget[currency] * 0.05m, 1m);
            var material = lastReported - after >= threshold || (after <= 0 && lastReported > 0);
            remainingMetric = material ? new MetricBody(MetricBody.BudgetRemaining, after, currency) : null;
            if (material)
            {
                _lastReportedRemaining[currency] = after;
            }
        }

        await EmitRawAsync(metric, new JobProgress(Budget: snapshot)).ConfigureAwait(false);
        if (remainingMetric is not null)
        {
            await EmitRawAsync(remainingMetric, progress: null).ConfigureAwait(false);
        }
    }
}
