using System.CommandLine;
using Leasehold.Cli.Output;
using Leasehold.Client.Admin;

namespace Leasehold.Cli.Commands;

/// <summary><c>leasehold tenants list|get|create</c>.</summary>
internal static class TenantCommands
{
    public static Command Build(CommandRunner runner)
    {
        var tenants = new Command("tenants", "Customer organizations (creating one needs an operator key).");

        var list = new Command("list", "List tenants (an admin key sees its own).");
        runner.Action(list, async run =>
        {
            var all = await run.CallAsync("Reading tenants", (a, ct) => a.ListTenantsAsync(ct));
            return run.Show(all, () =>
            {
                var table = Render.Table("Id", "Name", "Time zone", "Created");
                foreach (var t in all)
                    table.AddCells(t.Id, t.Name, t.TimeZone, t.CreatedAt);
                run.Out.Write(table);
            });
        });

        var id = new Argument<string>("id") { Description = "The tenant's id (ten_...)" };
        var get = new Command("get", "Show one tenant.") { id };
        runner.Action(get, async run =>
        {
            var tenant = await run.CallAsync("Reading the tenant", (a, ct) => a.GetTenantAsync(run.Value(id), ct));
            return run.Show(tenant, () => run.Out.Write(Details(tenant)));
        });

        var name = new Option<string>("--name") { Description = "The organization's name", Required = true };
        var timeZone = new Option<string>("--time-zone") { Description = "Its IANA time zone, e.g. Europe/Berlin", Required = true };
        var create = new Command("create", "Create a tenant (operator).") { name, timeZone };
        runner.Action(create, async run =>
        {
            var tenant = await run.CallAsync("Creating the tenant", (a, ct) => a.CreateTenantAsync(run.Value(name), run.Value(timeZone), ct));
            return run.Show(tenant, () =>
            {
                run.Out.Say($"Created tenant {tenant.Id}.");
                run.Out.Write(Details(tenant));
            });
        });

        tenants.Subcommands.Add(list);
        tenants.Subcommands.Add(get);
        tenants.Subcommands.Add(create);
        return tenants;
    }

    private static Spectre.Console.Grid Details(TenantInfo t) =>
        Render.Details(("Id", t.Id), ("Name", t.Name), ("Time zone", t.TimeZone), ("Created", t.CreatedAt));
}
