using Leasehold.Core.Policies;

namespace Leasehold.Core.Tests.Policies;

/// <summary>Client type names, their number, the default client type, and errors reported together.</summary>
public class PolicyValidationStructureTests
{
    private static (LicensePolicy Policy, List<FieldError> Errors) Build(PolicyDocument? document, string path = "policy")
    {
        var errors = new List<FieldError>();
        var policy = PolicyValidation.Build(document, path, errors);
        return (policy, errors);
    }

    private static PolicyDocument WithTypes(params string[] names) => new()
    {
        ClientTypes = names.ToDictionary(n => n, _ => new ClientTypeDocument()),
    };

    [Theory]
    [InlineData("Web")]
    [InlineData("1web")]
    [InlineData("_web")]
    [InlineData("web app")]
    [InlineData("web.app")]
    [InlineData("wéb")]
    [InlineData("")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")] // 33 characters
    public void Build_BadClientTypeName_IsAnErrorAtThatName(string name)
    {
        var (policy, errors) = Build(WithTypes("desktop", name));

        errors.ShouldHaveSingleItem().Field.ShouldBe($"policy.clientTypes.{name}");
        policy.ClientTypes.Keys.ShouldBe(["desktop"]);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("add-in")]
    [InlineData("api_v2")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")] // 32 characters
    public void Build_GoodClientTypeName_IsAccepted(string name)
    {
        var (policy, errors) = Build(WithTypes(name));

        errors.ShouldBeEmpty();
        policy.ClientTypes[name].Name.ShouldBe(name);
    }

    [Fact]
    public void Build_BadClientTypeName_IsReportedWithoutAlsoReportingItsFields()
    {
        var (_, errors) = Build(new PolicyDocument
        {
            ClientTypes = new Dictionary<string, ClientTypeDocument> { ["Mobile"] = new() { Weight = 0 } },
        });

        errors.Select(e => e.Field).ShouldBe(["policy.clientTypes.Mobile"]);
    }

    [Fact]
    public void Build_NoClientTypes_IsAnErrorAtClientTypes()
    {
        var (_, errors) = Build(WithTypes());

        errors.ShouldHaveSingleItem().Field.ShouldBe("policy.clientTypes");
    }

    [Fact]
    public void Build_MaxClientTypes_IsAcceptedAndOneMoreIsAnErrorAtClientTypes()
    {
        var names = Enumerable.Range(1, PolicyValidation.MaxClientTypes + 1).Select(i => $"type{i}").ToArray();

        Build(WithTypes(names[..PolicyValidation.MaxClientTypes])).Errors.ShouldBeEmpty();
        Build(WithTypes(names)).Errors.ShouldHaveSingleItem().Field.ShouldBe("policy.clientTypes");
    }

    [Fact]
    public void Build_DefaultClientTypeNamingAGivenType_IsAccepted()
    {
        var (policy, errors) = Build(new PolicyDocument
        {
            DefaultClientType = "web",
            ClientTypes = new Dictionary<string, ClientTypeDocument> { ["desktop"] = new(), ["web"] = new() },
        });

        errors.ShouldBeEmpty();
        policy.DefaultClientType.ShouldBe("web");
        policy.ResolveClientType("tablet")!.Name.ShouldBe("web");
    }

    [Fact]
    public void Build_DefaultClientTypeWithoutClientTypes_IsCheckedAgainstTheDefaultTypes()
    {
        Build(new PolicyDocument { DefaultClientType = "web" }).Errors.ShouldBeEmpty();

        Build(new PolicyDocument { DefaultClientType = "mobile" })
            .Errors.ShouldHaveSingleItem().ShouldBe(new FieldError("policy.defaultClientType", "Must name one of the client types: desktop, web."));
    }

    [Fact]
    public void Build_DefaultClientTypeNamingNoGivenType_IsAnErrorAtDefaultClientType()
    {
        var (_, errors) = Build(new PolicyDocument { DefaultClientType = "web", ClientTypes = WithTypes("desktop").ClientTypes });

        errors.ShouldHaveSingleItem().Field.ShouldBe("policy.defaultClientType");
    }

    [Fact]
    public void Build_SeveralMistakes_AreAllReportedEachAtItsOwnPath()
    {
        var (_, errors) = Build(new PolicyDocument
        {
            SeatKey = "device",
            DefaultClientType = "kiosk",
            ClientTypes = new Dictionary<string, ClientTypeDocument>
            {
                ["desktop"] = new() { TtlSeconds = 1, DenialCode = "Full" },
                ["web"] = new() { Weight = 0, Consumption = "maybe" },
            },
        });

        errors.Select(e => e.Field).Order(StringComparer.Ordinal).ShouldBe([
            "policy.clientTypes.desktop.denialCode",
            "policy.clientTypes.desktop.ttlSeconds",
            "policy.clientTypes.web.consumption",
            "policy.clientTypes.web.weight",
            "policy.defaultClientType",
            "policy.seatKey",
        ]);
        errors.ShouldAllBe(e => !string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Build_ErrorPaths_StartWithTheGivenPath()
    {
        var (_, errors) = Build(new PolicyDocument
        {
            SeatKey = "device",
            ClientTypes = new Dictionary<string, ClientTypeDocument> { ["web"] = new() { TtlSeconds = 1 } },
        }, path: "licenses[2].policy");

        errors.Select(e => e.Field).ShouldBe(["licenses[2].policy.seatKey", "licenses[2].policy.clientTypes.web.ttlSeconds"], ignoreOrder: true);
    }

    [Fact]
    public void Build_ValidDocument_AddsNoErrorsToThoseAlreadyInTheList()
    {
        var errors = new List<FieldError> { new("name", "Required.") };

        PolicyValidation.Build(new PolicyDocument { SeatKey = "user" }, "policy", errors);

        errors.ShouldBe([new FieldError("name", "Required.")]);
    }
}
