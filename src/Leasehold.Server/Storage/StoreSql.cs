namespace Leasehold.Server.Storage;

/// <summary>Statements both stores run as they are (SQLite and PostgreSQL read them alike); the usage history's are in <see cref="UsageSql"/>.</summary>
internal static class StoreSql
{
    /// <summary>Saves a live session's state document (parameters sessionId, tenantScope, document, at); no row when the session is not live.</summary>
    public const string SaveSessionState =
        """
        INSERT INTO session_states (session_id, document, updated_at)
        SELECT id, @document, @at FROM sessions
        WHERE id = @sessionId AND ended_at IS NULL AND (@tenantScope IS NULL OR tenant_id = @tenantScope)
        ON CONFLICT (session_id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
        """;

    /// <summary>The state document of a session in scope (parameters sessionId, tenantScope).</summary>
    public const string SavedState =
        """
        SELECT st.document FROM session_states st JOIN sessions s ON s.id = st.session_id
        WHERE st.session_id = @sessionId AND (@tenantScope IS NULL OR s.tenant_id = @tenantScope)
        """;

    /// <summary>Hands a taken-over session's saved state on to the session that took over (a <c>Handoff</c>'s FromSessionId, ToSessionId).</summary>
    public const string HandOffSessionState =
        """
        INSERT INTO session_states (session_id, document, updated_at)
        SELECT @ToSessionId, document, updated_at FROM session_states WHERE session_id = @FromSessionId
        ON CONFLICT (session_id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
        """;

    /// <summary>Inserts a license (a <see cref="LicenseRow"/>).</summary>
    public const string InsertLicense =
        """
        INSERT INTO licenses (id, tenant_id, product, seats, policy, created_at, starts_at, ends_at, policy_version)
        VALUES (@Id, @TenantId, @Product, @Seats, @Policy, @CreatedAt, @StartsAt, @EndsAt, @PolicyVersion)
        """;
}
