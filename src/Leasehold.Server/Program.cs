using Leasehold.Server.Hosting;
using Leasehold.Server.Installations;
using Microsoft.AspNetCore.Connections;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = PublishedContentRoot(args) });
builder.AddLeasehold();

// A start refused for a reason the operator can act on (a bad setting, a busy port, installation
// mode's license file): one line that names it, a distinct exit code, and nothing written before it.
try
{
    var app = builder.Build();
    StartChecks.Run(app); // the settings, then the listen addresses: before any hosted service writes
    app.MapLeasehold();
    app.Run();
}
catch (Exception refused) when (refused is StartRefusedException or LeaseholdSettingException or ListenAddressException)
{
    return NotStarting(refused.Message);
}
catch (IOException bindFailure) when (bindFailure.InnerException is AddressInUseException)
{
    return NotStarting(StartChecks.Describe(bindFailure)); // taken between the check and Kestrel's bind
}
catch (Leasehold.Server.Storage.StoreUnavailableException unreachable) when (unreachable.InnerException is Npgsql.NpgsqlException reason)
{
    // The database may come back (a reboot where PostgreSQL starts later): a distinct code that a
    // service manager restarts on (deploy/leasehold.service prevents restarts only for exit code 2).
    NotStarting($"the PostgreSQL database (Leasehold:Postgres, LEASEHOLD_POSTGRES) cannot be reached: {reason.Message}");
    return 3;
}
return 0;

// A published server (deploy/release.sh) keeps its console's files (wwwroot) and appsettings.json beside
// its binary: they are found there from any working directory, unless a content root is given.
// In the build output (dotnet run, tests) there is no wwwroot beside the binary: the working directory, as usual.
static string? PublishedContentRoot(string[] args)
{
    var given = args.Any(a => a.TrimStart('-', '/').StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase))
        || Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is not null || Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT") is not null;
    return !given && Directory.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot")) ? AppContext.BaseDirectory : null;
}

static int NotStarting(string reason)
{
    Console.Error.WriteLine($"leasehold: not starting: {reason}");
    return 2;
}

/// <summary>The entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
