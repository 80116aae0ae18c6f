using System.Globalization;

namespace Arcp.Benchmarks;

/// <summary>The command line: suite names, and <c>--name value</c> options (every option takes a value).</summary>
internal sealed class BenchArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public BenchArguments(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var suites = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                _options[args[i][2..]] = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.", nameof(args));
            }
            else
            {
                suites.Add(args[i]);
            }
        }

        Suites = suites.Count == 0 ? ["all"] : suites;
    }

    public IReadOnlyList<string> Suites { get; }

    public bool Runs(string suite) => Suites.Contains(suite) || (Suites.Contains("all") && suite is "storage" or "sessions");

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public double? Number(string name) => Option(name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : null;

    public int Events => (int)(Number("events") ?? 20_000);
}
