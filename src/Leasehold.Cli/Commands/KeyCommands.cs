using System.CommandLine;
using Leasehold.Cli.Output;
using Leasehold.Client.Admin;

namespace Leasehold.Cli.Commands;

/// <summary><c>leasehold keys list|create|revoke</c>.</summary>
internal static class KeyCommands
{
    public static Command Build(CommandRunner runner)
    {
        var keys = new Command("keys", "API keys: operator, admin (of a tenant), client (what an application uses).");

        var tenantFilter = new Option<string?>("--tenant") { Description = "Only this tenant's keys" };
        var list = new Command("list", "List keys, without their secrets.") { tenantFilter };
        runner.Action(list, async run =>
        {
            var all = await run.CallAsync("Reading keys", (a, ct) => a.ListApiKeysAsync(run.Value(tenantFilter), ct));
            return run.Show(all, () =>
            {
                var table = Render.Table("Id", "Role", "Tenant", "Name", "Created", "Revoked");
                foreach (var k in all)
                    table.AddCells(k.Id, k.Role, k.TenantId, k.Name, k.CreatedAt, k.RevokedAt);
                run.Out.Write(table);
            });
        });

        var role = new Option<string>("--role") { Description = "operator, admin or client", Required = true };
        role.AcceptOnlyFromAmong("operator", "admin", "client");
        var tenant = new Option<string?>("--tenant") { Description = "The tenant (an admin key's own by default; none for operator keys)" };
        var name = new Option<string?>("--name") { Description = "What the key is for, e.g. 'cad desktop'" };
        var create = new Command("create", "Create a key; its secret is shown this once.") { role, tenant, name };
        runner.Action(create, async run =>
        {
            var key = await run.CallAsync("Creating the key", (a, ct) => a.CreateApiKeyAsync(run.Value(role), run.Value(tenant), run.Value(name), ct));
            return run.Show(key, () =>
            {
                run.Out.Say($"Created {key.Role} key {key.Id}. Its secret, shown only this once:");
                run.Out.Say(key.Key ?? "-");
            });
        });

        var id = new Argument<string>("id") { Description = "The key's id (key_...)" };
        var revoke = new Command("revoke", "Revoke a key: it stops working at once.") { id };
        runner.Action(revoke, async run =>
        {
            var key = await run.CallAsync("Revoking the key", (a, ct) => a.RevokeApiKeyAsync(run.Value(id), ct));
            return run.Show(key, () => run.Out.Say($"Revoked {key.Role} key {key.Id} at {Render.Time(key.RevokedAt ?? default)}."));
        });

        keys.Subcommands.Add(list);
        keys.Subcommands.Add(create);
        keys.Subcommands.Add(revoke);
        return keys;
    }
}
