namespace Leasehold.Server.Tests.Support;

/// <summary>
/// Which store the server under test uses. This project runs on SQLite (a file in the host's data
/// directory, the server's default), so there is nothing to set; the PostgreSQL test project,
/// which compiles the same tests, has its own <c>TestStore</c> that gives every data directory a
/// fresh PostgreSQL schema instead.
/// </summary>
public static class TestStore
{
    public const string Provider = "sqlite";

    /// <summary>Server settings (configuration keys and values) that choose the store for <paramref name="dataDirectory"/>.</summary>
    public static Task<IReadOnlyDictionary<string, string>> SettingsAsync(string dataDirectory) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    /// <summary>Frees what <see cref="SettingsAsync"/> made once the data is no longer kept.</summary>
    public static Task ReleaseAsync(string dataDirectory) => Task.CompletedTask;
}
