using System.Net;
using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Installations;
using Leasehold.Core.Policies;
using Leasehold.Server.Signing;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Signing;

/// <summary>
/// The keys license files are signed with: made on first start, kept across restarts, published at
/// a well-known path for anyone to pin, rotated by the operator with the old key still published.
/// </summary>
public sealed class SigningKeysTests : HostedTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Jwks_PublishesTheServersP256Key_ToAnyone_WithoutItsPrivateHalf()
    {
        using var anonymous = Host.Client();

        var jwks = await anonymous.GetJsonAsync(SigningKeysApi.JwksPath);

        var key = jwks.GetProperty("keys").EnumerateArray().ShouldHaveSingleItem();
        (key.Str("kty"), key.Str("crv"), key.Str("alg"), key.Str("use")).ShouldBe(("EC", "P-256", "ES256", "sig"));
        key.TryGetProperty("d", out _).ShouldBeFalse("the private half never leaves the server");
        using var verifier = key.Deserialize<SigningJwk>(Json)!.ToVerifier(); // the kid is the key's own thumbprint
    }

    [Fact]
    public async Task AFileSignedByTheServersKey_VerifiesWithThePublishedKeys()
    {
        using var signer = await Host.Service<SigningKeyRing>().SignerAsync(CancellationToken.None);
        var text = LicenseFiles.Sign(new LicenseFile
        {
            LicenseId = "lic_1", TenantId = "ten_1", Product = "cad", InstallationId = "ins_1", Fingerprint = "laptop",
            Seats = 1, Policy = PolicyDocument.From(LicensePolicy.Default), RefreshBy = TestHost.Epoch.AddDays(30), Serial = 1,
            IssuedAt = TestHost.Epoch, KeyId = "",
        }, signer);

        var published = await Host.PublishedKeysAsync();

        LicenseFiles.Read(text, published).ShouldBeOfType<LicenseFileReading.Signed>().File.Seats.ShouldBe(1);
    }

    [Fact]
    public async Task Rotation_SignsWithANewKey_AndKeepsPublishingTheOldOne()
    {
        var first = (await Host.PublishedKeysAsync()).ShouldHaveSingleItem();

        var rotated = await Host.Operator.PostAsync("/v1/signing-keys", null, HttpStatusCode.Created);

        rotated.GetProperty("signing").GetBoolean().ShouldBeTrue();
        rotated.Str("id").ShouldNotBe(first.Kid);
        var listed = (await Host.Operator.GetJsonAsync("/v1/signing-keys")).GetProperty("items");
        listed.EnumerateArray().Select(k => (k.Str("id"), k.GetProperty("signing").GetBoolean()))
            .ShouldBe([(first.Kid, false), (rotated.Str("id"), true)]);
        listed[0].GetProperty("retiredAt").GetDateTimeOffset().ShouldBe(TestHost.Epoch);
        (await Host.PublishedKeysAsync()).Select(k => k.Kid).ShouldBe([first.Kid, rotated.Str("id")]);
        using var signer = await Host.Service<SigningKeyRing>().SignerAsync(CancellationToken.None);
        SigningJwk.From(signer).Kid.ShouldBe(rotated.Str("id"));
    }

    [Fact]
    public async Task TheKey_IsKeptAcrossARestart()
    {
        var before = (await Host.PublishedKeysAsync()).ShouldHaveSingleItem();

        await RestartHostAsync();

        (await Host.PublishedKeysAsync()).ShouldHaveSingleItem().ShouldBe(before);
    }

    [Fact]
    public async Task ATenantAdmin_MayNeitherListNorRotateKeys()
    {
        using var t = await Host.CreateTenancyAsync(seats: 1);

        await t.Admin.GetJsonAsync("/v1/signing-keys", HttpStatusCode.Forbidden);
        await t.Admin.PostAsync("/v1/signing-keys", null, HttpStatusCode.Forbidden);
        (await Host.PublishedKeysAsync()).Count.ShouldBe(1);
    }
}
