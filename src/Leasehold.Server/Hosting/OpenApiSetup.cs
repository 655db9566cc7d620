using System.Text.Json.Serialization.Metadata;
using Leasehold.Server.Lists;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Leasehold.Server.Hosting;

/// <summary>
/// The OpenAPI document at /openapi/v1.json: named, with the bearer key scheme, one fixed server (the default address,
/// not the host it was served from, so the committed copy stays stable), and completed by <see cref="OpenApiOperations"/>
/// (operationIds, every status, media types, public endpoints) and <see cref="OpenApiSchemas"/> (problem+json, enums,
/// required fields). docs/openapi.v1.json is the committed copy; the tests lint it with Redocly CLI and generate a client from it.
/// </summary>
internal static class OpenApiSetup
{
    public static IServiceCollection AddLeaseholdOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.CreateSchemaReferenceId = SchemaName;
            options.AddSchemaTransformer(OpenApiSchemas.TransformAsync);
            options.AddOperationTransformer((operation, context, ct) =>
            {
                // Every list's paging parameters, described once (an attribute on an [AsParameters] record's parameter cannot carry it).
                foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
                {
                    if (parameter.In == ParameterLocation.Query)
                        parameter.Description ??= parameter.Name switch { "limit" => Paging.LimitDescription, "cursor" => Paging.CursorDescription, _ => null };
                }
                return OpenApiOperations.TransformAsync(operation, context, ct);
            });
            options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Leasehold API",
                Version = "v1",
                Description = "Concurrent-license server: check out seats, heartbeat, sign off; see who holds seats. Authenticate with 'Authorization: Bearer <api key>'. "
                    + "Every error is problem+json with a stable code (docs/api.md, Errors). A method a path does not take is answered 405 method_not_allowed.",
                License = new OpenApiLicense { Name = "Apache-2.0", Identifier = "Apache-2.0" },
            };
            document.Servers = [new OpenApiServer { Url = "http://localhost:5000", Description = "The server's default address (docs/operations.md); use your own." }];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key (lh_...).",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
            OpenApiSchemas.Complete(document);
            return Task.CompletedTask;
        });
        });

    /// <summary>
    /// A schema's name in the document: the type's own, but a page of a list is named for what it lists
    /// (<c>Page&lt;LicenseResponse&gt;</c>: <c>LicensePage</c>), so the one shape reads plainly in every list.
    /// </summary>
    private static string? SchemaName(JsonTypeInfo type) =>
        type.Type == typeof(System.Text.Json.JsonElement) || type.Type == typeof(System.Text.Json.JsonElement?) ? OpenApiSchemas.AnyJsonName
        : type.Type.IsGenericType && type.Type.GetGenericTypeDefinition() == typeof(Page<>)
            ? type.Type.GetGenericArguments()[0].Name.Replace("Response", "", StringComparison.Ordinal) + "Page"
            : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
}
