using Arcp.Benchmarks.WebPubSub;

namespace Arcp.Benchmarks.Tests.WebPubSub;

public sealed class PathTableTests
{
    [Fact]
    public void Medians_TwoRoundsPerPath_MedianOfEachFigureInFirstSeenOrder()
    {
        // Arrange: two rounds, the second in reverse order.
        var runs = new[]
        {
            Path("direct", p50: 10, jobs: 20, events: 20_000),
            Path("wps", p50: 14, jobs: 10, events: 2_000),
            Path("wps", p50: 18, jobs: 12, events: 3_000),
            Path("direct", p50: 12, jobs: 22, events: 18_000),
        };

        // Act
        var medians = PathTable.Medians(runs);

        // Assert
        Assert.Equal(["direct", "wps"], medians.Select(m => m.Path));
        Assert.Equal(11, medians[0].SubmitToAcceptedP50, 6);
        Assert.Equal(21, medians[0].EchoJobsPerSecond, 6);
        Assert.Equal(19_000, medians[0].BurstEventsPerSecond, 6);
        Assert.Equal(16, medians[1].SubmitToAcceptedP50, 6);
        Assert.Equal(2_500, medians[1].BurstEventsPerSecond, 6);
    }

    [Fact]
    public void Median_OddCount_MiddleValue()
    {
        Assert.Equal(3, PathTable.Median([5, 1, 3]), 6);
    }

    [Fact]
    public void Render_RatiosAgainstTheBaselinePath()
    {
        // Arrange
        var paths = new[] { Path("direct", p50: 10, jobs: 20, events: 20_000), Path("wps", p50: 25, jobs: 5, events: 2_000) };

        // Act
        var lines = PathTable.Render(paths, "direct");

        // Assert: header, separator, one row per path; the last three cells are p50, jobs/s and events/s ÷ direct.
        Assert.Equal(4, lines.Count);
        Assert.EndsWith("| 1.00 | 1.00 | 1.00 |", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("| 2.50 | 0.25 | 0.10 |", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoBaselineInTheResults_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => PathTable.Render([Path("wps", 1, 1, 1)], "direct"));
    }

    [Fact]
    public void RenderOperations_LargestDifferenceFirst_OperationsMissingOnOnePathCountAsZero()
    {
        // Arrange
        var direct = Path("direct", 1, 1, 1) with { OperationsPerEchoJob = new Dictionary<string, double> { ["a"] = 5, ["b"] = 1 } };
        var wps = Path("wps", 1, 1, 1) with { OperationsPerEchoJob = new Dictionary<string, double> { ["a"] = 5.5, ["c"] = 3 } };

        // Act
        var lines = PathTable.RenderOperations([direct, wps], "direct", "wps", top: 2);

        // Assert: c (+3), then b (−1); a (+0.5) is cut by top.
        Assert.Equal(["| c | 0.00 | 3.00 |", "| b | 1.00 | 0.00 |"], lines.Skip(2));
    }

    private static PathMeasurement Path(string name, double p50, double jobs, double events) =>
        new(name, p50, p50 * 2, jobs, events, 1_000, 17, 40, 3);
}
