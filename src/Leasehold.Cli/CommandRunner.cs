using System.CommandLine;
using Leasehold.Cli.Output;
using Leasehold.Cli.Settings;
using Leasehold.Client;
using Leasehold.Client.Admin;
using Spectre.Console;

namespace Leasehold.Cli;

/// <summary>Runs a command's body with its settings resolved, and turns any failure into a message, a hint and an exit code.</summary>
internal sealed class CommandRunner(CliEnvironment env, GlobalOptions globals)
{
    public GlobalOptions Globals { get; } = globals;

    public void Action(Command command, Func<Invocation, Task<int>> body) =>
        command.SetAction((parse, ct) => RunAsync(parse, body, ct));

    private async Task<int> RunAsync(ParseResult parse, Func<Invocation, Task<int>> body, CancellationToken ct)
    {
        var json = parse.GetValue(Globals.Json);
        CliSettings? settings = null;
        try
        {
            settings = CliSettings.Resolve(parse.GetValue(Globals.Url), parse.GetValue(Globals.Key), parse.GetValue(Globals.Config), env.Variable);
            using var invocation = new Invocation(parse, env, settings, json, ct);
            return await body(invocation);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return ExitCodes.Failed;
        }
        catch (Exception e)
        {
            Uri? server = settings?.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var u) ? u : null;
            return ErrorReport.Show(e, env.Error, json, server);
        }
    }
}

/// <summary>One run of a command: its parsed values, where to write, and the admin client (made on first use).</summary>
internal sealed class Invocation(ParseResult parse, CliEnvironment env, CliSettings settings, bool json, CancellationToken ct) : IDisposable
{
    private LeaseholdAdminClient? _admin;
    private HttpClient? _http;

    public ParseResult Parse { get; } = parse;
    public IAnsiConsole Out => env.Out;
    public TimeProvider Clock => env.Clock;
    public CliSettings Settings { get; } = settings;
    public bool Json { get; } = json;
    public CancellationToken Ct { get; } = ct;

    public T Value<T>(Option<T> option) => Parse.GetValue(option)!;

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    /// <summary>Calls the server, with a spinner while it works when a person is watching.</summary>
    public async Task<T> CallAsync<T>(string doing, Func<LeaseholdAdminClient, CancellationToken, Task<T>> call)
    {
        _http ??= LeaseholdAnswers.Client(Settings.ServerUrl);
        var admin = _admin ??= new LeaseholdAdminClient(_http, new LeaseholdClientOptions
        {
            ServerUrl = Settings.ServerUrl,
            ApiKey = Settings.ApiKey,
            RetryFor = TimeSpan.FromSeconds(3),
            RequestTimeout = TimeSpan.FromSeconds(30),
        });
        if (Json || !Out.Profile.Capabilities.Interactive)
            return await call(admin, Ct);
        return await Out.Status().StartAsync(doing, _ => call(admin, Ct));
    }

    /// <summary>JSON for scripts, or the human form.</summary>
    public int Show(object? value, Action human)
    {
        if (Json)
            Out.WriteJson(value);
        else
            human();
        return ExitCodes.Ok;
    }

    public void Dispose()
    {
        _admin?.Dispose();
        _http?.Dispose();
    }
}
