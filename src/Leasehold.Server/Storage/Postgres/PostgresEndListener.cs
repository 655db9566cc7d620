using System.Text.Json;
using Leasehold.Server.Sessions.Signals;
using Npgsql;

namespace Leasehold.Server.Storage.Postgres;

/// <summary>
/// Session ends and waiting-line changes from every node: the store NOTIFYs each end it commits (<see cref="SessionEndChannel"/>),
/// and this service, on every node, LISTENs on a connection of its own and hands what arrives to the
/// local push-channel hub. So an admin stop or a takeover decided on one node reaches a client whose
/// push channel is held by another. Best effort, like the push channel itself: a client that misses
/// an end (its node was reconnecting to the database) learns it at its next heartbeat. Registered
/// only on PostgreSQL (<see cref="PostgresStoreSetup.AddPostgresStore"/>).
/// </summary>
internal sealed class PostgresEndListener(PostgresStore postgres, SessionSignals signals, ILogger<PostgresEndListener> log) : BackgroundService
{
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this node listens (tests wait for it before expecting deliveries from other nodes).</summary>
    public Task Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var db = await postgres.OpenListenerAsync(stoppingToken);
                db.Notification += (_, e) => Deliver(e.Channel, e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN \"{postgres.EndsChannel}\"; LISTEN \"{postgres.WaitsChannel}\"", db))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                _listening.TrySetResult();
                while (true)
                    await db.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
            {
                log.LogWarning("Listening for other nodes' session ends failed ({Message}); reconnecting", e.Message);
                // Real time, not the server's clock: this paces reconnection attempts, it is no rule of the license.
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Deliver(string channel, string payload)
    {
        try
        {
            if (channel == postgres.WaitsChannel)
                signals.DeliverLines(SessionEndChannel.ReadLines(payload));
            else
                signals.Deliver(SessionEndChannel.Read(payload));
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
        {
            log.LogWarning("Ignored a malformed session-end notification: {Message}", e.Message);
        }
    }
}
