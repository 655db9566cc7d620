using Leasehold.Core.Policies;

namespace Leasehold.Core.Tests.Policies;

/// <summary>Names and codes are matched to the very end: a trailing newline is not a valid name.</summary>
public sealed class PolicyValidationNewlineTests
{
    [Fact]
    public void Build_ClientTypeNameEndingInANewline_IsAnErrorAtThatName()
    {
        var errors = new List<FieldError>();
        PolicyValidation.Build(new PolicyDocument
        {
            ClientTypes = new Dictionary<string, ClientTypeDocument> { ["web\n"] = new() },
        }, "policy", errors);
        errors.ShouldHaveSingleItem().Field.ShouldBe("policy.clientTypes.web\n");
    }

    [Fact]
    public void Build_DenialCodeEndingInANewline_IsAnErrorAtDenialCode()
    {
        var errors = new List<FieldError>();
        PolicyValidation.Build(new PolicyDocument
        {
            ClientTypes = new Dictionary<string, ClientTypeDocument> { ["web"] = new() { DenialCode = "no_seat\n" } },
        }, "policy", errors);
        errors.ShouldHaveSingleItem().Field.ShouldBe("policy.clientTypes.web.denialCode");
    }
}
