using Leasehold.Core.Policies;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Policies;

/// <summary>What the API returns for a policy can be sent back unchanged and means the same policy.</summary>
public class PolicyDocumentTests
{
    public static TheoryData<string> Policies => new() { "default", "mixed", "no-idle" };

    private static LicensePolicy PolicyNamed(string name) => name switch
    {
        "default" => LicensePolicy.Default,
        "mixed" => Policy(SeatKey.UserDevice, "web",
            ClientType("desktop", ttl: Minutes(5), idle: TimeSpan.FromHours(1)),
            ClientType("web", ttl: Minutes(20), idle: TimeSpan.FromHours(1), denialMessage: "Try again in a few minutes."),
            ClientType("integration", weight: 5, ttl: TimeSpan.FromSeconds(30)),
            ClientType("mobile", Consumption.Check, denialCode: "mobile_no_seat", denialMessage: "Ask a colleague to sign out."),
            ClientType("api", Consumption.None)),
        "no-idle" => Policy(SeatKey.User, ClientType("kiosk", ttl: TimeSpan.FromDays(7)) with { IdleTimeout = null }),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public void From_ThenBuild_GivesBackTheSamePolicy(string name)
    {
        var original = PolicyNamed(name);
        var errors = new List<FieldError>();

        var rebuilt = PolicyValidation.Build(PolicyDocument.From(original), "policy", errors);

        errors.ShouldBeEmpty();
        rebuilt.SeatKey.ShouldBe(original.SeatKey);
        rebuilt.DefaultClientType.ShouldBe(original.DefaultClientType);
        rebuilt.ClientTypes.Keys.ShouldBe(original.ClientTypes.Keys, ignoreOrder: true);
        foreach (var (typeName, type) in original.ClientTypes)
            rebuilt.ClientTypes[typeName].ShouldBe(type);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void From_IsStableAcrossARoundTrip(string name)
    {
        var first = PolicyDocument.From(PolicyNamed(name));

        var second = PolicyDocument.From(PolicyValidation.Build(first, "policy", []));

        second.SeatKey.ShouldBe(first.SeatKey);
        second.DefaultClientType.ShouldBe(first.DefaultClientType);
        second.ClientTypes!.ShouldBe(first.ClientTypes!);
    }

    [Fact]
    public void From_WritesWireNamesSecondsAndZeroForNoIdleTimeout()
    {
        var document = PolicyDocument.From(PolicyNamed("mixed"));

        document.SeatKey.ShouldBe("user+device");
        document.DefaultClientType.ShouldBe("web");
        document.ClientTypes!.Keys.ShouldBe(["api", "desktop", "integration", "mobile", "web"]);
        document.ClientTypes["mobile"].ShouldBe(new ClientTypeDocument
        {
            Consumption = "check",
            Weight = 1,
            TtlSeconds = 300,
            IdleTimeoutSeconds = 3600,
            DenialCode = "mobile_no_seat",
            DenialMessage = "Ask a colleague to sign out.",
        });
        document.ClientTypes["api"].Consumption.ShouldBe("none");
        document.ClientTypes["integration"].Weight.ShouldBe(5);
        document.ClientTypes["integration"].TtlSeconds.ShouldBe(30);
        PolicyDocument.From(PolicyNamed("no-idle")).ClientTypes!["kiosk"].IdleTimeoutSeconds.ShouldBe(0);
    }

    [Theory]
    [InlineData(SeatKey.Session, "session")]
    [InlineData(SeatKey.User, "user")]
    [InlineData(SeatKey.UserDevice, "user+device")]
    public void SeatKeyNames_OfAndParse_AreInverse(SeatKey key, string name)
    {
        SeatKeyNames.Of(key).ShouldBe(name);
        SeatKeyNames.Parse(name).ShouldBe(key);
        SeatKeyNames.All.ShouldContain(name);
    }
}
