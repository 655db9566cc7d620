using Microsoft.Extensions.Time.Testing;

namespace Leasehold.Server.Tests.Support;

/// <summary>
/// Several server nodes (each a real host on its own port, with its own reaper) on one PostgreSQL
/// schema and one fake clock, as several servers behind a load balancer share one database.
/// </summary>
public sealed class Nodes : IAsyncDisposable
{
    private readonly List<TestHost> _hosts;
    private readonly string _dataDirectory;

    private Nodes(List<TestHost> hosts, string dataDirectory, FakeTimeProvider clock)
    {
        _hosts = hosts;
        _dataDirectory = dataDirectory;
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }

    public int Count => _hosts.Count;

    public TestHost this[int index] => _hosts[index];

    public IReadOnlyList<TestHost> All => _hosts;

    /// <param name="settings">Server settings every node starts with, beside the store's.</param>
    public static async Task<Nodes> StartAsync(int count, IReadOnlyDictionary<string, string>? settings = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "leasehold-nodes-" + Guid.NewGuid().ToString("N"));
        var clock = new FakeTimeProvider(TestHost.Epoch);
        var hosts = new List<TestHost>();
        var nodes = new Nodes(hosts, data, clock);
        try
        {
            Dictionary<string, string>? all = null;
            if (settings is not null)
            {
                all = new Dictionary<string, string>(await TestStore.SettingsAsync(data));
                foreach (var (key, value) in settings)
                    all[key] = value;
            }
            for (var i = 0; i < count; i++)
            {
                var host = await TestHost.StartAsync(data, clock, storeSettings: all);
                host.KeepData = true;
                hosts.Add(host);
            }
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// As <see cref="StartAsync"/>, and waits until every node LISTENs for the others' pushes (session ends and line
    /// changes), so a test that expects a delivery from another node does not race the listener's start.
    /// </summary>
    public static async Task<Nodes> StartListeningAsync(int count)
    {
        var nodes = await StartAsync(count);
        foreach (var node in nodes.All)
            await node.Service<global::Leasehold.Server.Storage.Postgres.PostgresEndListener>().Listening;
        return nodes;
    }

    /// <summary>One HTTP client per node, all with <paramref name="apiKey"/>.</summary>
    public List<HttpClient> Clients(string apiKey) => _hosts.Select(h => h.Client(apiKey)).ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
            await host.DisposeAsync();
        TestHost.TryDelete(_dataDirectory);
        await TestStore.ReleaseAsync(_dataDirectory);
    }
}
