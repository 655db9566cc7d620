using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Installations;
using Leasehold.Core.Policies;

namespace Leasehold.Core.Tests.Installations;

/// <summary>A license file read back as it was signed, and refused, each with its own code, when anything about it is off.</summary>
public sealed class LicenseFilesTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly ECDsa _issuer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _issuer.Dispose();
        _stranger.Dispose();
    }

    private static LicenseFile File(long serial = 1, int seats = 8, DateTimeOffset? endsAt = null, DateTimeOffset? refreshBy = null) => new()
    {
        LicenseId = "lic_cargo",
        TenantId = "ten_acme",
        Product = "cargo-office",
        InstallationId = "ins_central",
        Fingerprint = "central-server",
        Seats = seats,
        Policy = PolicyDocument.From(LicensePolicy.Default),
        EndsAt = endsAt ?? Now.AddDays(365),
        RefreshBy = refreshBy ?? Now.AddDays(30),
        Serial = serial,
        IssuedAt = Now,
        KeyId = "",
    };

    private SigningJwk[] Trusted => [SigningJwk.From(_issuer)];

    [Fact]
    public void SignedFile_ReadsBackAsSigned_NamingItsKey()
    {
        var text = LicenseFiles.Sign(File(), _issuer);

        var signed = LicenseFiles.Read(text, Trusted).ShouldBeOfType<LicenseFileReading.Signed>();

        var expected = File() with { KeyId = SigningJwk.From(_issuer).Kid };
        signed.File.ShouldBe(expected with { Policy = signed.File.Policy });
        JsonSerializer.Serialize(signed.File.Policy).ShouldBe(JsonSerializer.Serialize(expected.Policy));
        text.Split('.').Length.ShouldBe(3);
    }

    [Fact]
    public void FileWithOneByteChanged_IsRefusedAsBadlySigned()
    {
        var parts = LicenseFiles.Sign(File(seats: 1), _issuer).Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"seats\":1", "\"seats\":9", StringComparison.Ordinal);
        var forged = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        Refusal(forged).Code.ShouldBe(Codes.LicenseFileBadSignature);
    }

    [Fact]
    public void FileSignedByAnotherKey_IsRefusedAsUnknownKey() =>
        Refusal(LicenseFiles.Sign(File(), _stranger)).Code.ShouldBe(Codes.LicenseFileUnknownKey);

    [Fact]
    public void FileSignedByAnotherKey_ThatClaimsTheIssuersKeyId_IsRefusedAsBadlySigned()
    {
        var parts = LicenseFiles.Sign(File(), _stranger).Split('.');
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $$"""{"alg":"ES256","typ":"leasehold-license+jwt","kid":"{{SigningJwk.From(_issuer).Kid}}"}"""));

        Refusal($"{header}.{parts[1]}.{parts[2]}").Code.ShouldBe(Codes.LicenseFileBadSignature);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a license file")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJub25lIn0.e30.")]
    public void Garbage_IsRefusedAsMalformed(string text) =>
        Refusal(text).Code.ShouldBe(Codes.LicenseFileMalformed);

    [Fact]
    public void TrustedKey_WhoseIdIsNotItsThumbprint_IsNotTrusted()
    {
        var text = LicenseFiles.Sign(File(), _issuer);
        var jwk = SigningJwk.From(_issuer);

        Should.Throw<FormatException>(() => LicenseFiles.Read(text, [jwk with { X = SigningJwk.From(_stranger).X }]));
    }

    [Fact]
    public void Installation_TakesAValidFile_AndRemembersItsSerialAndTheTime()
    {
        var (accepted, refused) = LicenseFileCheck.Judge(File(serial: 3), "cargo-office", InstallationMemory.None, Now);

        refused.ShouldBeNull();
        accepted!.Memory.ShouldBe(new InstallationMemory(3, Now));
        accepted.UsableUntil.ShouldBe(Now.AddDays(30));
    }

    [Fact]
    public void OlderSerialAfterANewerOne_IsRefusedAsReplayed()
    {
        var memory = new InstallationMemory(5, Now);

        Judge(File(serial: 4), memory).Code.ShouldBe(Codes.LicenseFileReplayed);
        LicenseFileCheck.Judge(File(serial: 5), "cargo-office", memory, Now).Accepted.ShouldNotBeNull("the same file again, at a restart");
    }

    [Fact]
    public void FilePastItsRefreshByDate_IsRefusedAsExpired() =>
        Judge(File(refreshBy: Now), InstallationMemory.None).Code.ShouldBe(Codes.LicenseFileExpired);

    [Fact]
    public void FileOfALicenseThatEnded_IsRefusedAsExpired_OnceTheGraceDaysArePast()
    {
        var file = File(endsAt: Now.AddDays(-LicensePolicy.Default.Expiry.GraceDays - 1));

        Judge(file, InstallationMemory.None).Code.ShouldBe(Codes.LicenseFileExpired);
    }

    [Fact]
    public void ClockSetBack_IsRefused_BeyondTheTolerance_NotWithinIt()
    {
        var memory = new InstallationMemory(1, Now.AddDays(3));

        Judge(File(), memory).Code.ShouldBe(Codes.ClockMovedBack);
        LicenseFileCheck.Judge(File(), "cargo-office", memory, Now.AddDays(3) - LicenseFileCheck.ClockTolerance).Accepted.ShouldNotBeNull();
    }

    [Fact]
    public void FileIssuedAfterTheMachinesTime_IsRefusedAsAClockSetBack() =>
        Judge(File() with { IssuedAt = Now.AddDays(1) }, InstallationMemory.None).Code.ShouldBe(Codes.ClockMovedBack);

    [Fact]
    public void FileOfAnotherProduct_IsRefused() =>
        LicenseFileCheck.Judge(File(), "other-product", InstallationMemory.None, Now).Refused!.Code.ShouldBe(Codes.LicenseFileWrongProduct);

    private LicenseFileReading.Refused Refusal(string text) => LicenseFiles.Read(text, Trusted).ShouldBeOfType<LicenseFileReading.Refused>();

    private static LicenseFileReading.Refused Judge(LicenseFile file, InstallationMemory memory) =>
        LicenseFileCheck.Judge(file, "cargo-office", memory, Now).Refused.ShouldNotBeNull();
}
