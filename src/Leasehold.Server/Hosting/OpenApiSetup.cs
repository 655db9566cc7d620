using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Leasehold.Server.Hosting;

/// <summary>The OpenAPI document at /openapi/v1.json: named, with the bearer key scheme, and free of the host it was served from (so the committed copy stays stable).</summary>
internal static class OpenApiSetup
{
    public static IServiceCollection AddLeaseholdOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Leasehold API",
                Version = "v1",
                Description = "Concurrent-license server: check out seats, heartbeat, sign off; see who holds seats. Authenticate with 'Authorization: Bearer <api key>'.",
            };
            document.Servers = [];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key (lh_...).",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
            return Task.CompletedTask;
        }));
}
