using Leasehold.Core.Installations;
using Leasehold.Core;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Lists;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leasehold.Server.Signing;

/// <summary>A JSON Web Key Set (RFC 7517): the public keys license files are signed with.</summary>
internal sealed record JwksResponse(SigningJwk[] Keys);

/// <summary>One signing key: whether it signs now, since when, and its public half (never the private one).</summary>
internal sealed record SigningKeyResponse(string Id, bool Signing, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt, SigningJwk PublicKey)
{
    internal static SigningKeyResponse From(Storage.StoredSigningKey k) => new(k.Id, k.RetiredAt is null, k.CreatedAt, k.RetiredAt, SigningKeyRing.PublicKey(k));
}

/// <summary>
/// The keys license files are signed with: the public key set at a well-known path, for anyone to
/// pin and verify with, and for the operator the list and rotation.
/// </summary>
internal static class SigningKeysApi
{
    public const string JwksPath = "/.well-known/jwks.json";

    public static void MapJwks(this WebApplication app) =>
        app.MapGet(JwksPath, GetJwks).AllowAnonymous().WithTags("Signing keys")
            .WithSummary("The public keys license files are signed with (a JWKS, RFC 7517); needs no key.");

    public static RouteGroupBuilder MapSigningKeysApi(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(ApiKeyAuthentication.OperatorPolicy).ProducesProblem(403);
        group.MapGet("/", ListSigningKeys).ProducesProblem(400).WithSummary("List the signing keys (operator): which one signs, and when each was made and retired.");
        group.MapPost("/", RotateSigningKey)
            .WithSummary("Rotate (operator): a new key signs from now on; the old one is retired and still published, so its files keep verifying.");
        return group;
    }

    public static async Task<Ok<JwksResponse>> GetJwks(SigningKeyRing ring, CancellationToken ct) =>
        TypedResults.Ok(new JwksResponse([.. await ring.PublicKeysAsync(ct)]));

    /// <summary>The keys oldest first (of two made in one millisecond, the retired one first), a page at a time.</summary>
    public static async Task<Results<Ok<Page<SigningKeyResponse>>, ProblemHttpResult>> ListSigningKeys(
        [AsParameters] PageQuery query, ISigningKeyStore store, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var page = Paging.Read(query, "g1", errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        var keys = await store.ListSigningKeysAsync(page, ct);
        return TypedResults.Ok(Paging.Of(keys, page, "g1", k => new PageKey(SigningKeySql.SortKeyOf(k), k.Id), SigningKeyResponse.From));
    }

    public static async Task<Created<SigningKeyResponse>> RotateSigningKey(SigningKeyRing ring, CancellationToken ct)
    {
        var key = await ring.RotateAsync(ct);
        return TypedResults.Created($"/v1/signing-keys/{key.Id}", SigningKeyResponse.From(key));
    }
}
