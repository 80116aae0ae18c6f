using Arcp.Testing;
using Arcp.Testing.Faults;

namespace Arcp.Benchmarks.Cost;

/// <summary>
/// A host process whose every storage request — Durable's included, since the proxy sits outside the process — passes
/// a loopback proxy that counts it, classified as ours or Durable's by the host's table prefix and task hub.
/// </summary>
internal sealed class CountedBenchHost : IAsyncDisposable
{
    private readonly StorageFaultProxy _proxy;
    private readonly DirectoryInfo _workDir;

    private CountedBenchHost(StorageTraffic traffic, StorageFaultProxy proxy, HostProcess host, Uri endpoint, DirectoryInfo workDir)
    {
        Traffic = traffic;
        _proxy = proxy;
        Host = host;
        Endpoint = endpoint;
        _workDir = workDir;
    }

    public StorageTraffic Traffic { get; }

    public HostProcess Host { get; }

    public Uri Endpoint { get; }

    public static async Task<CountedBenchHost> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var prefix = BenchHost.Name('c');
        var hub = BenchHost.Name('h');
        var traffic = new StorageTraffic(new StorageRequestClassifier(prefix, hub));
        var proxy = await StorageFaultProxy.StartAsync(connectionString, new FaultSchedule(new FaultScheduleOptions()));
        proxy.Observer = traffic.Observe;
        try
        {
            var (host, endpoint, workDir) = await BenchHost.StartAsync(proxy.ConnectionString, prefix, hub, settings);
            return new CountedBenchHost(traffic, proxy, host, endpoint, workDir);
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await _proxy.DisposeAsync();
        _workDir.Delete(recursive: true);
    }
}
