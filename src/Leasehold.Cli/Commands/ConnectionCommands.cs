using System.CommandLine;
using System.Text.Json;
using Leasehold.Cli.Output;
using Leasehold.Client.Admin;

namespace Leasehold.Cli.Commands;

/// <summary><c>leasehold connections list|get|create|update|replace|delete</c>: a tenant's shared access credentials and their access plans.</summary>
internal static class ConnectionCommands
{
    public static Command Build(CommandRunner runner)
    {
        var connections = new Command("connections",
            "Connections: a tenant's shared logins to a hosted service, open in their access windows (creating one needs an operator key).");

        var tenantFilter = new Option<string?>("--tenant") { Description = "Only this tenant's connections (operator)" };
        var list = new Command("list", "Connections with their access plan and whether each is open now.") { tenantFilter };
        runner.Action(list, async run =>
        {
            var all = await run.CallAsync("Reading connections", (a, ct) => a.ListConnectionsAsync(run.Value(tenantFilter), ct));
            return run.Show(all, () =>
            {
                var table = Render.Table("Id", "Name", "Shared e-mail", "User", "Plan", "Open now", "Opens", "Closes");
                foreach (var c in all)
                    table.AddCells(c.Id, c.Name, c.Email, c.User, PlanKind(c), c.OpenNow ? "yes" : "no", c.OpensAt, c.ClosesAt);
                run.Out.Write(table);
            });
        });

        var getId = new Argument<string>("id") { Description = "The connection's id (con_...)" };
        var get = new Command("get", "Show one connection, its access plan and whether it is open now.") { getId };
        runner.Action(get, async run =>
        {
            var connection = await run.CallAsync("Reading the connection", (a, ct) => a.GetConnectionAsync(run.Value(getId), ct));
            return run.Show(connection, () => Describe(run, connection));
        });

        var tenant = new Option<string>("--tenant") { Description = "The tenant (ten_...)", Required = true };
        var name = new Option<string>("--name") { Description = "The connection's name, unique in its tenant", Required = true };
        var email = new Option<string?>("--email") { Description = "The e-mail whose users may share it" };
        var plan = new Option<string>("--access-plan")
        {
            Description = "A preset (business-hours, always) or a JSON file with a plan document (docs/policies.md)", Required = true,
        };
        var user = new Option<string?>("--user") { Description = "Its user, who may use it without the shared e-mail (default: the first user to sign in on it)" };
        var create = new Command("create", "Create a connection (operator).") { tenant, name, email, plan, user };
        runner.Action(create, async run =>
        {
            var accessPlan = ReadPlan(run.Value(plan));
            var connection = await run.CallAsync("Creating the connection", (a, ct) =>
                a.CreateConnectionAsync(run.Value(tenant), run.Value(name), run.Value(email), accessPlan, run.Value(user), ct));
            return run.Show(connection, () => Describe(run, connection, $"Created connection {connection.Id}."));
        });

        var updateId = new Argument<string>("id") { Description = "The connection's id (con_...)" };
        var newName = new Option<string?>("--name") { Description = "A new name" };
        var newEmail = new Option<string?>("--email") { Description = "A new shared e-mail" };
        var newPlan = new Option<string?>("--access-plan") { Description = "A new access plan: a preset or a JSON file (a planned maintenance window, say)" };
        var newUser = new Option<string?>("--user") { Description = "A new user: the only one who may use it without the shared e-mail" };
        var update = new Command("update", "Change a connection's name, shared e-mail, access plan or user; what is not given stays.")
        {
            updateId, newName, newEmail, newPlan, newUser,
        };
        runner.Action(update, async run =>
        {
            JsonElement? accessPlan = run.Value(newPlan) is { } given ? ReadPlan(given) : null;
            var connection = await run.CallAsync("Changing the connection", (a, ct) =>
                a.UpdateConnectionAsync(run.Value(updateId), run.Value(newName), run.Value(newEmail), accessPlan, run.Value(newUser), ct));
            return run.Show(connection, () => Describe(run, connection, $"Changed connection {connection.Id}."));
        });

        var replaceId = new Argument<string>("id") { Description = "The connection's id (con_...)" };
        var wholeName = new Option<string>("--name") { Description = "Its name, unique in its tenant", Required = true };
        var wholeEmail = new Option<string?>("--email") { Description = "The e-mail whose users may share it (left out: no shared e-mail)" };
        var wholePlan = new Option<string>("--access-plan") { Description = "A preset (business-hours, always) or a JSON file with a plan document", Required = true };
        var wholeUser = new Option<string?>("--user") { Description = "Its user (left out: none, the next user to sign in on it becomes its user)" };
        var replace = new Command("replace",
            "Replace a connection whole: what is not given is removed (the shared e-mail; its user, so the next to sign in on it becomes its user).")
        {
            replaceId, wholeName, wholeEmail, wholePlan, wholeUser,
        };
        runner.Action(replace, async run =>
        {
            var accessPlan = ReadPlan(run.Value(wholePlan));
            var connection = await run.CallAsync("Replacing the connection", (a, ct) =>
                a.ReplaceConnectionAsync(run.Value(replaceId), run.Value(wholeName), run.Value(wholeEmail), accessPlan, run.Value(wholeUser), ct));
            return run.Show(connection, () => Describe(run, connection, $"Replaced connection {connection.Id}."));
        });

        var deleteId = new Argument<string>("id") { Description = "The connection's id (con_...)" };
        var delete = new Command("delete", "Remove a connection no open session uses.") { deleteId };
        runner.Action(delete, async run =>
        {
            await run.CallAsync("Removing the connection", async (a, ct) =>
            {
                await a.DeleteConnectionAsync(run.Value(deleteId), ct);
                return true;
            });
            return run.Show(new { removed = run.Value(deleteId) }, () => run.Out.Say($"Removed connection {run.Value(deleteId)}."));
        });

        connections.Subcommands.Add(list);
        connections.Subcommands.Add(get);
        connections.Subcommands.Add(create);
        connections.Subcommands.Add(update);
        connections.Subcommands.Add(replace);
        connections.Subcommands.Add(delete);
        return connections;
    }

    /// <summary>A preset's name as a JSON string, or the plan document in the named file.</summary>
    private static JsonElement ReadPlan(string value)
    {
        if (!File.Exists(value))
            return JsonSerializer.SerializeToElement(value);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(value));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Usage, $"{value} is not a JSON access plan: {e.Message}");
        }
    }

    private static string PlanKind(ConnectionInfo c) =>
        c.AccessPlan.TryGetProperty("kind", out var kind) ? kind.GetString() ?? "" : "";

    private static void Describe(Invocation run, ConnectionInfo c, string? headline = null)
    {
        if (headline is not null)
            run.Out.Say(headline);
        run.Out.Write(Render.Details(("Id", c.Id), ("Tenant", c.TenantId), ("Name", c.Name), ("Shared e-mail", c.Email ?? "(none)"), ("User", c.User ?? "(the first to sign in)"),
            ("Plan", PlanKind(c)), ("Open now", c.OpenNow ? "yes" : "no"), ("Opens", c.OpensAt), ("Closes", c.ClosesAt)));
    }
}
