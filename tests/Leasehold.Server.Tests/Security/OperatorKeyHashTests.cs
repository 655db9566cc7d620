using System.Net;
using Leasehold.Server.Auth;
using Leasehold.Server.Storage;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Security;

/// <summary>
/// A human-chosen operator key (<c>LEASEHOLD_ADMIN_KEY</c>) is stored with a salted slow hash, not
/// SHA-256; keys stored the old way by an earlier version keep working and are stored again.
/// </summary>
public sealed class OperatorKeyHashTests : HostedTests
{
    private IApiKeyStore Store => Host.Service<IApiKeyStore>();

    [Fact]
    public async Task TheConfiguredKey_IsStoredSaltedAndSlow_NotAsItsSha256()
    {
        (await Store.FindApiKeyAsync(ApiKeySecrets.Hash(TestHost.OperatorKey), CancellationToken.None)).ShouldBeNull();
        var stored = (await Store.ListSlowHashedApiKeysAsync(CancellationToken.None)).ShouldHaveSingleItem();
        stored.Name.ShouldBe("LEASEHOLD_ADMIN_KEY");
        stored.SecretHash.ShouldStartWith($"pbkdf2-sha256${ApiKeySecrets.SlowHashIterations}$");
        ApiKeySecrets.MatchesSlowHash(TestHost.OperatorKey, stored.SecretHash).ShouldBeTrue();
        ApiKeySecrets.MatchesSlowHash(TestHost.OperatorKey + "x", stored.SecretHash).ShouldBeFalse();
        ApiKeySecrets.SlowHash(TestHost.OperatorKey).ShouldNotBe(stored.SecretHash, "each hash has its own salt");

        await Host.Operator.GetJsonAsync("/v1/tenants");
        Host.Clock.Advance(ApiKeyDirectory.CacheFor * 2); // past the cache: found again by its id, not hashed again
        await Host.Operator.GetJsonAsync("/v1/tenants");
    }

    [Fact]
    public async Task TheConfiguredKey_StoredTheOldWay_IsStoredAgainAtTheNextStart_AndKeepsWorking()
    {
        var stored = (await Store.ListSlowHashedApiKeysAsync(CancellationToken.None)).ShouldHaveSingleItem();
        (await Store.ReplaceSecretHashAsync(stored.Id, stored.SecretHash, ApiKeySecrets.Hash(TestHost.OperatorKey), CancellationToken.None)).ShouldBeTrue();

        await RestartHostAsync();

        var again = (await Store.GetApiKeyAsync(stored.Id, CancellationToken.None))!;
        ApiKeySecrets.IsSlowHash(again.SecretHash).ShouldBeTrue();
        (await Store.ListApiKeysAsync(null, null, null, CancellationToken.None)).Count(k => k.Role == ApiKeyRole.Operator).ShouldBe(1, "the same key, not a second one");
        await Host.Operator.GetJsonAsync("/v1/tenants");
    }

    [Fact]
    public async Task AnEarlierConfiguredKey_StoredTheOldWay_WorksAndIsStoredAgainAtItsFirstUse_UntilRevoked()
    {
        const string earlier = "an earlier key a person chose";
        var key = new ApiKey("key_EARLIEREARLIEREARLIER1", null, ApiKeyRole.Operator, "LEASEHOLD_ADMIN_KEY", ApiKeySecrets.Hash(earlier), Host.Clock.GetUtcNow(), null);
        await Store.CreateApiKeyAsync(key, [], CancellationToken.None);
        using var http = Host.Client(earlier);

        await http.GetJsonAsync("/v1/tenants");
        ApiKeySecrets.IsSlowHash((await Store.GetApiKeyAsync(key.Id, CancellationToken.None))!.SecretHash).ShouldBeTrue();
        Host.Clock.Advance(ApiKeyDirectory.CacheFor * 2);
        await http.GetJsonAsync("/v1/tenants");

        await RestartHostAsync(); // a fresh cache: found by the slow hash this time
        using var afterRestart = Host.Client(earlier);
        await afterRestart.GetJsonAsync("/v1/tenants");
        await Host.Operator.SendAsync(HttpMethod.Delete, $"/v1/api-keys/{key.Id}", null, HttpStatusCode.OK);
        await afterRestart.ShouldFailAsync(HttpMethod.Get, "/v1/tenants", null, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task AWrongKey_IsRefused_WhenSlowHashedKeysExist()
    {
        using var http = Host.Client("not the operator key at all");
        await http.ShouldFailAsync(HttpMethod.Get, "/v1/tenants", null, HttpStatusCode.Unauthorized, "unauthorized");
    }
}
