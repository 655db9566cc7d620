using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Leasehold.Core.Sessions;
using Leasehold.Server.Auth;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Sessions;

/// <summary>
/// Session tokens: the secret a checkout answers for its session, which the session's holder sends
/// (in <see cref="Header"/>, with its client key) on heartbeats, sign-off, saved state and the events
/// stream, so a client key extracted from one application cannot act on another's session.
/// <para>
/// A token is <c>lhs_</c> + base64url(HMAC-SHA256(server secret, session id)): 256 bits no one can
/// guess without the secret. The session stores only its SHA-256 (<see cref="ApiKeySecrets.Hash"/>;
/// a fast hash is right for a random secret), and requests are judged against that hash alone.
/// The derivation is what lets an idempotent retry of the checkout answer the same token without
/// the token being kept anywhere: the server computes it again from the session id. The secret is
/// made at first start and kept in the store (<c>server_secrets</c>), so every node derives the same.
/// </para>
/// </summary>
internal sealed class SessionTokens(ISigningKeyStore store, TimeProvider clock)
{
    public const string Header = "Leasehold-Session-Token";
    public const string Prefix = "lhs_";

    /// <summary>What the OpenAPI document says of the header.</summary>
    public const string HeaderDescription =
        "The session's token (the checkout answer's sessionToken). Required of client keys: without it, or with another session's, " +
        "the answer is 403 session_token_invalid and nothing changes. Admin and operator keys need none.";
    private const string SecretName = "session_tokens";

    private byte[]? _secret;

    /// <summary>Loads the secret, making it on the very first start (before the server answers).</summary>
    public async Task EnsureAsync(CancellationToken ct)
    {
        var candidate = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _secret = Convert.FromBase64String(await store.GetOrAddSecretAsync(SecretName, candidate, clock.GetUtcNow(), ct));
    }

    /// <summary>The token of session <paramref name="sessionId"/>: the same every time it is asked.</summary>
    public string For(string sessionId)
    {
        var secret = _secret ?? throw new InvalidOperationException("Session tokens are used before the server started.");
        return Prefix + Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes("leasehold session token v1\n" + sessionId)));
    }

    /// <summary>
    /// The token of waiting-line entry <paramref name="entryId"/> (<c>lhw_</c>...): made the same way, with its own
    /// label, so an entry's token is never a session's. Its holder sends it in <see cref="Header"/>, as for a session.
    /// </summary>
    public string ForWait(string entryId)
    {
        var secret = _secret ?? throw new InvalidOperationException("Session tokens are used before the server started.");
        return WaitPrefix + Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes("leasehold wait token v1\n" + entryId)));
    }

    public const string WaitPrefix = "lhw_";

    /// <summary>Whether the caller may act on a waiting-line entry: an admin or operator, or the holder of its token.</summary>
    public static bool MayActOnWait(Caller caller, Core.Queue.WaitEntry entry, string? token) =>
        IsAdmin(caller) || Matches(entry.TokenHash, token);

    /// <summary>Whether the caller speaks as the entry's holder (a client key, or an admin key with the entry's token): leaving, not an admin's removal.</summary>
    public static bool IsWaitHolder(Caller caller, Core.Queue.WaitEntry entry, string? token) =>
        IsAdmin(caller) ? token is not null && Matches(entry.TokenHash, token) : Matches(entry.TokenHash, token);

    private static bool Matches(string? hash, string? token) =>
        hash is not null && !string.IsNullOrEmpty(token)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(token)), Encoding.ASCII.GetBytes(hash));

    public static string Hash(string token) => ApiKeySecrets.Hash(token);

    /// <summary>
    /// Whether <paramref name="token"/> is <paramref name="session"/>'s, compared in constant time.
    /// A session written before tokens existed (no hash) accepts any request until it ends, so an
    /// upgrade signs nobody off.
    /// </summary>
    public static bool Matches(Session session, string? token)
    {
        if (!session.HasToken)
            return true;
        return !string.IsNullOrEmpty(token) && session.HasTokenHash(Hash(token));
    }

    /// <summary>
    /// Whether <paramref name="caller"/> may act on the session as its holder: with the token, or as an
    /// admin or operator (who are never the holder, so never need it: their sign-off is a stop).
    /// </summary>
    public static bool MayAct(Caller caller, Session session, string? token) => IsAdmin(caller) || Matches(session, token);

    /// <summary>
    /// Whether the caller speaks as the session's holder: a client key allowed to act on it, or an admin
    /// or operator key that sent the session's own token (an application running on such a key). An admin
    /// without it is someone else, whose sign-off of the session is an admin's stop.
    /// </summary>
    public static bool IsHolder(Caller caller, Session session, string? token) =>
        IsAdmin(caller) ? token is not null && session.HasToken && Matches(session, token) : Matches(session, token);

    private static bool IsAdmin(Caller caller) => caller.Role is ApiKeyRole.Admin or ApiKeyRole.Operator;
}
