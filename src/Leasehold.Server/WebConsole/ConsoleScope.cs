using Leasehold.Server.Auth;

namespace Leasehold.Server.WebConsole;

/// <summary>
/// Which tenant a console page shows. A tenant admin always sees its own tenant; naming another one
/// (<c>?tenant=</c>, also typed into the address bar) is not found, as the API answers. The vendor
/// (operator) sees every tenant, or one when a page is opened with <c>?tenant=ID</c>: the tenants page
/// links each tenant's pages that way, and the navigation keeps the choice from page to page.
/// </summary>
internal sealed record ConsoleScope(Caller Caller, string? TenantId)
{
    public const string Query = "tenant";

    /// <summary>The scope a caller asks for, or null when it names a tenant the caller may not see.</summary>
    public static ConsoleScope? Resolve(Caller caller, string? requested)
    {
        if (string.IsNullOrEmpty(requested))
            return new ConsoleScope(caller, caller.TenantScope);
        if (caller.IsOperator || requested == caller.TenantScope)
            return new ConsoleScope(caller, requested);
        return null;
    }

    /// <summary>The tenant every read is confined to (null: all of them, for the vendor).</summary>
    public string? TenantScope => TenantId;

    /// <summary>
    /// The caller the page's reads go through: the signed-in one, or for the vendor looking at one
    /// tenant, a caller confined to that tenant (so every handler's scoping applies unchanged). Writes
    /// keep the signed-in <see cref="Caller"/> and its rights.
    /// </summary>
    public Caller Reader => IsVendorInTenant ? Caller with { Role = Storage.ApiKeyRole.Admin, TenantId = TenantId } : Caller;

    /// <summary>The vendor looking at one tenant's pages (and not at everything).</summary>
    public bool IsVendorInTenant => Caller.IsOperator && TenantId is not null;

    /// <summary><paramref name="path"/> in the same scope: the vendor's chosen tenant travels along.</summary>
    public string Link(string path) => Link(path, Caller.IsOperator ? TenantId : null);

    public static string Link(string path, string? vendorTenant) => vendorTenant is null
        ? path
        : path + (path.Contains('?') ? '&' : '?') + Query + "=" + Uri.EscapeDataString(vendorTenant);
}
