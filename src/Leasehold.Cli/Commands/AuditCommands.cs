using System.CommandLine;
using Leasehold.Cli.Output;
using Leasehold.Client.Admin;

namespace Leasehold.Cli.Commands;

/// <summary><c>leasehold audit list|verify</c>: the audit trail of admins' and operators' changes, and its hash chains checked.</summary>
internal static class AuditCommands
{
    public static Command Build(CommandRunner runner)
    {
        var audit = new Command("audit", "The audit trail: who changed what, when, before and after (operator: all; admin: its tenant's).");
        audit.Subcommands.Add(List(runner));
        audit.Subcommands.Add(Verify(runner));
        return audit;
    }

    private static Command List(CommandRunner runner)
    {
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's records (operator)" };
        var from = new Option<string?>("--from") { Description = "Records at or after this instant (2026-03-02T09:00:00Z)" };
        var to = new Option<string?>("--to") { Description = "Records before this instant" };
        var action = new Option<string?>("--action") { Description = "One action, e.g. license.seats_changed, key.revoked" };
        var actor = new Option<string?>("--actor") { Description = "Changes made with this API key (key_...)" };
        var target = new Option<string?>("--target") { Description = "Changes to this tenant, license, key, connection or session" };
        var limit = new Option<int?>("--limit") { Description = "Records per page, 1-1000 (server default 100)" };
        var cursor = new Option<string?>("--cursor") { Description = "Continue after the page that gave this cursor" };
        var all = new Option<bool>("--all") { Description = "Follow every page to the end" };
        var list = new Command("list", "The audit trail, newest first.") { tenant, from, to, action, actor, target, limit, cursor, all };
        runner.Action(list, async run =>
        {
            var query = new AuditQuery
            {
                TenantId = run.Value(tenant), From = run.Value(from), To = run.Value(to), Action = run.Value(action),
                ActorKeyId = run.Value(actor), TargetId = run.Value(target),
            };
            var page = await run.CallAsync("Reading the audit trail", (a, ct) => a.ListAuditAsync(query, run.Value(cursor), run.Value(limit), ct));
            var records = page.Records.ToList();
            while (run.Value(all) && page.NextCursor is { } next)
            {
                page = await run.CallAsync("Reading the audit trail", (a, ct) => a.ListAuditAsync(query, next, run.Value(limit), ct));
                records.AddRange(page.Records);
            }
            return run.Show(new AuditPage(records, page.NextCursor), () =>
            {
                var table = Render.Table("At", "Action", "Target", "By", "Role", "Tenant", "Record");
                foreach (var r in records)
                    table.AddCells(r.At, r.Action, r.Target.Id, r.Actor.KeyName is { } name ? $"{name} ({r.Actor.KeyId})" : r.Actor.KeyId,
                        r.Actor.Role, r.TenantId, r.Id);
                run.Out.Write(table);
                run.Out.Say($"{records.Count} record{(records.Count == 1 ? "" : "s")}."
                    + (page.NextCursor is { } more ? $" More: add --cursor {more} (or --all)." : ""));
            });
        });
        return list;
    }

    private static Command Verify(CommandRunner runner)
    {
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's chain (operator)" };
        var verify = new Command("verify",
            "Check the audit trail's hash chains here: a changed, inserted or deleted record is reported (exit 3) with the first broken one.") { tenant };
        runner.Action(verify, async run =>
        {
            var result = await run.CallAsync("Verifying the audit trail", (a, ct) => a.VerifyAuditAsync(run.Value(tenant), ct));
            run.Show(result, () =>
            {
                if (result.Broken is { } b)
                    run.Out.Say($"BROKEN at record {b.Id} (tenant {b.TenantId ?? "none"}, sequence {b.Sequence}): {b.Reason}.");
                else
                    run.Out.Say($"OK: {result.Records} record{(result.Records == 1 ? "" : "s")} in {result.Chains.Count} chain{(result.Chains.Count == 1 ? "" : "s")}, every hash and link holds.");
                var table = Render.Table("Chain (tenant)", "Records", "Head hash");
                foreach (var head in result.Chains)
                    table.AddCells(head.TenantId ?? "(none)", head.Sequence, head.Hash);
                run.Out.Write(table);
            });
            return result.Ok ? ExitCodes.Ok : ExitCodes.Refused;
        });
        return verify;
    }
}
