using System.Security.Cryptography;
using System.Text.Json;
using Leasehold.Core.Installations;
using Leasehold.Core.Policies;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Cli.Tests;

/// <summary>
/// <c>signing-keys list|rotate|export</c> against a real server, and <c>license-file verify</c>
/// offline against the exported keys.
/// </summary>
public sealed class SigningKeyCommandTests : ServerCommandTests
{
    [Fact]
    public async Task SigningKeys_ListRotateExport_TheExportedSetHoldsEveryKey()
    {
        var first = (await Cli.RunAsync("signing-keys", "list", "--json")).ShouldSucceed().Json.EnumerateArray().ShouldHaveSingleItem();
        first.GetProperty("signing").GetBoolean().ShouldBeTrue();

        var rotated = (await Cli.RunAsync("signing-keys", "rotate")).ShouldSucceed().Out;
        var table = (await Cli.RunAsync("signing-keys", "list")).ShouldSucceed().Out;
        var file = TempFile();
        var exported = (await Cli.RunAsync("signing-keys", "export", "--out", file)).ShouldSucceed().Out;

        rotated.ShouldContain("signs from now on");
        table.ShouldContain($"│ {first.Str("id")} │ no ");
        exported.ShouldContain("Wrote 2 public key(s)");
        using var jwks = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.Str("kid")).ShouldContain(first.Str("id"));
    }

    [Fact]
    public async Task LicenseFileVerify_AcceptsAFileSignedByAnExportedKey_AndRefusesAChangedOne()
    {
        using var issuer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keys = TempFile();
        await File.WriteAllTextAsync(keys, JsonSerializer.Serialize(new { keys = new[] { SigningJwk.From(issuer) } }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        var text = LicenseFiles.Sign(new LicenseFile
        {
            LicenseId = "lic_cargo", TenantId = "ten_acme", Product = "cargo-office", InstallationId = "ins_laptop", Fingerprint = "laptop-1",
            Seats = 1, Policy = PolicyDocument.From(LicensePolicy.Default), RefreshBy = DateTimeOffset.UtcNow.AddDays(30), Serial = 7,
            IssuedAt = DateTimeOffset.UtcNow, KeyId = "",
        }, issuer);
        var good = TempFile();
        await File.WriteAllTextAsync(good, text);
        var changed = TempFile();
        await File.WriteAllTextAsync(changed, text[..^3] + (text[^3] == 'A' ? "B" : "A") + text[^2..]);
        var cli = new CliRun(null!, "") { PassServer = false };

        var valid = (await cli.RunAsync("license-file", "verify", good, "--keys", keys)).ShouldSucceed().Out;
        var json = (await cli.RunAsync("license-file", "verify", good, "--keys", keys, "--product", "cargo-office", "--json")).ShouldSucceed().Json;
        var refused = (await cli.RunAsync("license-file", "verify", changed, "--keys", keys, "--json")).ShouldFailWith(3).Json;
        var otherProduct = (await cli.RunAsync("license-file", "verify", good, "--keys", keys, "--product", "cad")).ShouldFailWith(3).Out;

        valid.ShouldContain("is a valid license file");
        valid.ShouldContain("lic_cargo");
        valid.ShouldContain("cargo-office");
        json.GetProperty("valid").GetBoolean().ShouldBeTrue();
        json.GetProperty("file").GetProperty("serial").GetInt64().ShouldBe(7);
        refused.Str("code").ShouldBe("license_file_bad_signature");
        otherProduct.ShouldContain("license_file_wrong_product");
    }

    private static string TempFile() => Path.Combine(Path.GetTempPath(), $"leasehold-cli-{Guid.NewGuid():N}");
}
