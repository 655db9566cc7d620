namespace Leasehold.Core.Access;

/// <summary>
/// A tenant's access credential to a hosted service (a remote-desktop login, say), counted apart
/// from seats. Sign-in through it is allowed only inside its access plan's windows; users may share
/// it only when they share its <see cref="Email"/>, and one at a time.
/// </summary>
public sealed record Connection(string Id, string TenantId, string Name, string? Email, AccessPlan AccessPlan, DateTimeOffset CreatedAt)
{
    /// <summary>
    /// Its user: the only one who may sign in on it without its shared <see cref="Email"/>. Named by an
    /// admin, or else the first user to sign in on it (kept until an admin names another or clears it).
    /// </summary>
    public string? User { get; init; }
}
