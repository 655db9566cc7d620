using Leasehold.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddLeasehold();

var app = builder.Build();
app.MapLeasehold();
app.Run();

/// <summary>The entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
