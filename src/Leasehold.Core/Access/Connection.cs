namespace Leasehold.Core.Access;

/// <summary>
/// A tenant's access credential to a hosted service (a remote-desktop login, say), counted apart
/// from seats. Sign-in through it is allowed only inside its access plan's windows; users may share
/// it only when they share its <see cref="Email"/>, and one at a time.
/// </summary>
public sealed record Connection(string Id, string TenantId, string Name, string? Email, AccessPlan AccessPlan, DateTimeOffset CreatedAt);
