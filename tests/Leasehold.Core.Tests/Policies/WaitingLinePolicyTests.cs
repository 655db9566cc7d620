using System.Text.Json;
using Leasehold.Core.Policies;

namespace Leasehold.Core.Tests.Policies;

/// <summary>The waiting line's policy fields: <c>waitingLine</c> on the license, <c>waits</c> on a client type.</summary>
public class WaitingLinePolicyTests
{
    private static (LicensePolicy Policy, List<FieldError> Errors) Build(string json)
    {
        var errors = new List<FieldError>();
        var document = PolicyReader.Read(JsonDocument.Parse(json).RootElement, "policy", errors);
        var policy = PolicyValidation.Build(document, "policy", errors);
        return (policy, errors);
    }

    [Fact]
    public void LeftOut_ThereIsNoLine_AndThePolicyReadsAsBefore()
    {
        var (policy, errors) = Build("{}");

        errors.ShouldBeEmpty();
        policy.WaitingLine.ShouldBe(WaitingLinePolicy.Default);
        policy.WaitingLine.Enabled.ShouldBeFalse();
        policy.MayWait(policy.ClientTypes["desktop"]).ShouldBeFalse();
        PolicyDocument.From(policy).WaitingLine.ShouldBeNull(); // not written: license files stay readable by older installations
        PolicyDocument.From(policy).ClientTypes!["desktop"].Waits.ShouldBeNull();
    }

    [Fact]
    public void Given_IsTakenAsGiven_AndWrittenBackWhole()
    {
        var (policy, errors) = Build("""{"waitingLine": {"enabled": true, "maxLength": 20, "maxWaitSeconds": 900, "offerSeconds": 45}, "clientTypes": {"desktop": {}, "web": {"waits": false}}}""");

        errors.ShouldBeEmpty();
        policy.WaitingLine.ShouldBe(new WaitingLinePolicy(true, 20, TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(45)));
        policy.MayWait(policy.ClientTypes["desktop"]).ShouldBeTrue();
        policy.MayWait(policy.ClientTypes["web"]).ShouldBeFalse();
        var again = PolicyValidation.Build(PolicyDocument.From(policy), "policy", errors);
        errors.ShouldBeEmpty();
        again.WaitingLine.ShouldBe(policy.WaitingLine);
        again.ClientTypes["web"].ShouldBe(policy.ClientTypes["web"]);
    }

    [Fact]
    public void OnlyTheFieldsGiven_AreChanged()
    {
        var (policy, errors) = Build("""{"waitingLine": {"enabled": true}}""");

        errors.ShouldBeEmpty();
        policy.WaitingLine.ShouldBe(WaitingLinePolicy.Default with { Enabled = true });
    }

    [Fact]
    public void AClientTypeMayOptIn_OnALicenseWhoseLineIsOff()
    {
        var (policy, errors) = Build("""{"clientTypes": {"desktop": {"waits": true}, "web": {}}}""");

        errors.ShouldBeEmpty();
        policy.MayWait(policy.ClientTypes["desktop"]).ShouldBeTrue();
        policy.MayWait(policy.ClientTypes["web"]).ShouldBeFalse();
    }

    [Theory]
    [InlineData("maxLength", 1)]
    [InlineData("maxLength", 10000)]
    [InlineData("maxWaitSeconds", 10)]
    [InlineData("maxWaitSeconds", 86400)]
    [InlineData("offerSeconds", 5)]
    [InlineData("offerSeconds", 3600)]
    public void NumbersAtTheEdgeOfTheirRange_AreAccepted(string field, int value)
    {
        var (_, errors) = Build("{\"waitingLine\": {\"" + field + "\": " + value + "}}");

        errors.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("maxLength", 0)]
    [InlineData("maxLength", 10001)]
    [InlineData("maxWaitSeconds", 9)]
    [InlineData("maxWaitSeconds", 86401)]
    [InlineData("offerSeconds", 4)]
    [InlineData("offerSeconds", 3601)]
    public void NumbersOutOfRange_AreErrorsAtTheirPath(string field, int value)
    {
        var (_, errors) = Build("{\"waitingLine\": {\"" + field + "\": " + value + "}}");

        errors.ShouldHaveSingleItem().Field.ShouldBe($"policy.waitingLine.{field}");
    }

    [Fact]
    public void WrongShapes_AreNamedByTheirPath_AllAtOnce()
    {
        var (_, errors) = Build("""{"waitingLine": {"enabled": "yes", "maxLength": "5", "queue": 1}, "clientTypes": {"desktop": {"waits": 1}}}""");

        errors.Select(e => e.Field).Order().ShouldBe(
            ["policy.clientTypes.desktop.waits", "policy.waitingLine.enabled", "policy.waitingLine.maxLength", "policy.waitingLine.queue"]);
    }

    [Fact]
    public void OnlyASeatHoldingClientType_MayWait()
    {
        var (_, errors) = Build("""{"clientTypes": {"desktop": {}, "mobile": {"consumption": "check", "waits": true}}}""");

        errors.ShouldHaveSingleItem().Field.ShouldBe("policy.clientTypes.mobile.waits");
    }
}
