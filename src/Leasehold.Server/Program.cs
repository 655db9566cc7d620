using Leasehold.Server.Hosting;
using Leasehold.Server.Installations;

var builder = WebApplication.CreateBuilder(args);
builder.AddLeasehold();

var app = builder.Build();
app.MapLeasehold();
try
{
    app.Run();
}
catch (StartRefusedException refused)
{
    // A start refused for a reason the operator can act on: one line, and a distinct exit code.
    Console.Error.WriteLine($"leasehold: not starting: {refused.Message}");
    return 2;
}
return 0;

/// <summary>The entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
