using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;
using Leasehold.Server.Sessions.Signals;
using Npgsql;

namespace Leasehold.Server.Storage.Postgres;

/// <summary>A decision's writes on PostgreSQL, through <see cref="SessionSql"/>'s statements.</summary>
internal sealed partial class PostgresStore
{
    /// <summary>
    /// Writes a decision's changes, and adds the sessions it ended and the lines it changed to <paramref name="pushes"/>. An end, once recorded, is never overwritten; should a session's
    /// end already be there (it cannot while every writer holds the license lock, but the rule does
    /// not depend on that), its second end event is not recorded either.
    /// </summary>
    private async Task ApplyAsync(NpgsqlConnection db, NpgsqlTransaction tx, Changes changes, Pushes pushes)
    {
        HashSet<string>? notWritten = null;
        foreach (var session in changes.Sessions)
        {
            if (!await WriteSessionAsync(db, tx, session))
                (notWritten ??= new HashSet<string>(StringComparer.Ordinal)).Add(session.Id);
            else if (!session.IsActive)
                pushes.Ends.Add(SessionEnd.Of(session)); // an end is written once: a written ended session is a new end
        }
        foreach (var handoff in changes.Handoffs)
            await SessionSql.HandOffAsync(db, tx, handoff);
        foreach (var e in changes.Events)
        {
            if (e.Kind == UsageKind.Ended && e.SessionId is { } id && notWritten?.Contains(id) == true)
                continue;
            await SessionSql.AppendEventAsync(db, tx, e, _maxRefusalEvents);
        }
        foreach (var installation in changes.Installations)
            await InstallationSql.WriteAsync(db, tx, installation);
        foreach (var coolDown in changes.CoolDowns)
            await CoolDownSql.WriteAsync(db, tx, coolDown);
        foreach (var claim in changes.Claims)
            await ConnectionSql.ClaimAsync(db, tx, claim);
        if (changes.Waits.Count > 0 || changes.WaitEvents.Count > 0)
        {
            await WaitSql.WriteAsync(db, tx, changes);
            pushes.AddLines(changes.WaitEvents);
        }
    }

    /// <summary>
    /// Updates a live session's row, or inserts a new one; false when its row had an end recorded
    /// already. Nothing is cached across requests, so the update goes first and its row count says
    /// whether the session is new (SQLite's writer knows that from its ledger).
    /// </summary>
    private static async Task<bool> WriteSessionAsync(NpgsqlConnection db, NpgsqlTransaction tx, Session session)
    {
        var row = SessionRow.From(session);
        if (await SessionSql.UpdateAsync(db, tx, row) > 0)
            return true;
        if (!session.IsActive)
            return false;
        return await SessionSql.InsertAsync(db, tx, row);
    }
}
