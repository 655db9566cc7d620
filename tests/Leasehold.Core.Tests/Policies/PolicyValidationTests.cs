using Leasehold.Core.Policies;

namespace Leasehold.Core.Tests.Policies;

public class PolicyValidationTests
{
    private static (LicensePolicy Policy, List<FieldError> Errors) Build(PolicyDocument? document)
    {
        var errors = new List<FieldError>();
        var policy = PolicyValidation.Build(document, "policy", errors);
        return (policy, errors);
    }

    private static PolicyDocument WithWebType(ClientTypeDocument web) => new()
    {
        ClientTypes = new Dictionary<string, ClientTypeDocument> { ["web"] = web },
    };

    private static PolicyDocument WithTypes(params string[] names) => new()
    {
        ClientTypes = names.ToDictionary(n => n, _ => new ClientTypeDocument()),
    };

    [Fact]
    public void Build_NullDocument_GivesTheDefaultPolicy()
    {
        var (policy, errors) = Build(null);

        policy.ShouldBeSameAs(LicensePolicy.Default);
        errors.ShouldBeEmpty();
    }

    [Fact]
    public void Build_EmptyDocument_TakesEveryValueFromTheDefaultPolicy()
    {
        var (policy, errors) = Build(new PolicyDocument());

        errors.ShouldBeEmpty();
        policy.SeatKey.ShouldBe(SeatKey.Session);
        policy.DefaultClientType.ShouldBeNull();
        policy.ClientTypes.Keys.Order(StringComparer.Ordinal).ShouldBe(["desktop", "web"]);
        policy.ClientTypes["desktop"].ShouldBe(LicensePolicy.Default.ClientTypes["desktop"]);
        policy.ClientTypes["web"].ShouldBe(LicensePolicy.Default.ClientTypes["web"]);
    }

    [Theory]
    [InlineData("session", SeatKey.Session)]
    [InlineData("user", SeatKey.User)]
    [InlineData("user+device", SeatKey.UserDevice)]
    public void Build_KnownSeatKey_IsTakenAsGiven(string name, SeatKey expected)
    {
        var (policy, errors) = Build(new PolicyDocument { SeatKey = name });

        errors.ShouldBeEmpty();
        policy.SeatKey.ShouldBe(expected);
    }

    [Theory]
    [InlineData("User")]
    [InlineData("device")]
    [InlineData("user device")]
    [InlineData("")]
    public void Build_UnknownSeatKey_IsAnErrorAtPolicySeatKeyListingTheKnownOnes(string name)
    {
        var (_, errors) = Build(new PolicyDocument { SeatKey = name });

        errors.ShouldHaveSingleItem()
            .ShouldBe(new FieldError("policy.seatKey", $"Must be one of: {string.Join(", ", SeatKeyNames.All)}."));
    }

    [Fact]
    public void Build_ClientTypesGiven_ReplaceTheDefaultTypes()
    {
        var (policy, errors) = Build(WithTypes("mobile"));

        errors.ShouldBeEmpty();
        policy.ClientTypes.Keys.ShouldBe(["mobile"]);
    }

    [Fact]
    public void Build_ClientTypeFieldsLeftOut_ComeFromTheDefaultTypeOfTheSameName()
    {
        var (policy, errors) = Build(WithWebType(new ClientTypeDocument { Weight = 2 }));

        errors.ShouldBeEmpty();
        policy.ClientTypes["web"].ShouldBe(LicensePolicy.Default.ClientTypes["web"] with { Weight = 2 });
    }

    [Fact]
    public void Build_NewClientTypeWithFieldsLeftOut_TakesTheDesktopDefaults()
    {
        var (policy, errors) = Build(new PolicyDocument
        {
            ClientTypes = new Dictionary<string, ClientTypeDocument> { ["mobile"] = null! },
        });

        errors.ShouldBeEmpty();
        policy.ClientTypes["mobile"].ShouldBe(LicensePolicy.Default.ClientTypes["desktop"] with { Name = "mobile" });
    }

    [Fact]
    public void Build_EveryClientTypeFieldGiven_IsTakenAsGiven()
    {
        var (policy, errors) = Build(new PolicyDocument
        {
            SeatKey = "user",
            DefaultClientType = "addin",
            ClientTypes = new Dictionary<string, ClientTypeDocument>
            {
                ["addin"] = new()
                {
                    Consumption = "check", Weight = 2, TtlSeconds = 90, IdleTimeoutSeconds = 0,
                    DenialCode = "addin_no_seat", DenialMessage = "Open the desktop app first.",
                },
            },
        });

        errors.ShouldBeEmpty();
        policy.SeatKey.ShouldBe(SeatKey.User);
        policy.DefaultClientType.ShouldBe("addin");
        policy.ClientTypes["addin"].ShouldBe(new ClientTypePolicy("addin", Consumption.Check, 2, TimeSpan.FromSeconds(90), null,
            "addin_no_seat", "Open the desktop app first."));
    }

    [Fact]
    public void Build_BorrowDays_IsKeptAndAbsentMeansNoBorrowing()
    {
        var (policy, errors) = Build(WithWebType(new ClientTypeDocument { BorrowDays = 14 }));
        var (plain, _) = Build(WithWebType(new ClientTypeDocument()));

        errors.ShouldBeEmpty();
        policy.ClientTypes["web"].BorrowDays.ShouldBe(14);
        plain.ClientTypes["web"].BorrowDays.ShouldBeNull();
        policy.ClientTypes["web"].ShouldNotBe(plain.ClientTypes["web"]);
        ClientTypeDocument.From(policy.ClientTypes["web"]).BorrowDays.ShouldBe(14);
    }

    [Fact]
    public void Build_ClientTypesLookUpIgnoresCase()
    {
        var (policy, _) = Build(WithTypes("mobile"));

        policy.ClientTypes.ContainsKey("MOBILE").ShouldBeTrue();
        policy.ResolveClientType("Mobile")!.Name.ShouldBe("mobile");
    }

    [Theory]
    [InlineData("seat", Consumption.Seat)]
    [InlineData("check", Consumption.Check)]
    [InlineData("none", Consumption.None)]
    public void Build_KnownConsumption_IsTakenAsGiven(string name, Consumption expected)
    {
        var (policy, errors) = Build(WithWebType(new ClientTypeDocument { Consumption = name }));

        errors.ShouldBeEmpty();
        policy.ClientTypes["web"].Consumption.ShouldBe(expected);
        policy.ClientTypes["web"].SeatsHeld.ShouldBe(expected == Consumption.Seat ? 1 : 0);
    }

    [Fact]
    public void Build_IdleTimeoutOfZero_TurnsTheIdleTimeoutOff()
    {
        var (policy, errors) = Build(WithWebType(new ClientTypeDocument { IdleTimeoutSeconds = 0 }));

        errors.ShouldBeEmpty();
        policy.ClientTypes["web"].IdleTimeout.ShouldBeNull();
    }

    [Theory]
    [InlineData("weight", 1)]
    [InlineData("weight", PolicyValidation.MaxWeight)]
    [InlineData("ttlSeconds", 5)]
    [InlineData("ttlSeconds", PolicyValidation.MaxTtlSeconds)]
    [InlineData("idleTimeoutSeconds", 0)]
    [InlineData("idleTimeoutSeconds", PolicyValidation.MaxTtlSeconds)]
    [InlineData("borrowDays", 1)]
    [InlineData("borrowDays", PolicyValidation.MaxBorrowDays)]
    public void Build_NumberAtTheEdgeOfItsRange_IsAccepted(string field, int value)
    {
        var (_, errors) = Build(WithWebType(NumberField(field, value)));

        errors.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("weight", 0)]
    [InlineData("weight", -1)]
    [InlineData("weight", PolicyValidation.MaxWeight + 1)]
    [InlineData("ttlSeconds", 4)]
    [InlineData("ttlSeconds", 0)]
    [InlineData("ttlSeconds", PolicyValidation.MaxTtlSeconds + 1)]
    [InlineData("idleTimeoutSeconds", -1)]
    [InlineData("idleTimeoutSeconds", PolicyValidation.MaxTtlSeconds + 1)]
    [InlineData("borrowDays", 0)]
    [InlineData("borrowDays", -1)]
    [InlineData("borrowDays", PolicyValidation.MaxBorrowDays + 1)]
    public void Build_NumberOutOfRange_IsAnErrorAtItsJsonPath(string field, int value)
    {
        var (_, errors) = Build(WithWebType(NumberField(field, value)));

        errors.ShouldHaveSingleItem().Field.ShouldBe($"policy.clientTypes.web.{field}");
    }

    [Theory]
    [InlineData("consumption", "seats")]
    [InlineData("consumption", "Seat")]
    [InlineData("consumption", "")]
    [InlineData("denialCode", "")]
    [InlineData("denialCode", "No_Seat")]
    [InlineData("denialCode", "no-seat")]
    [InlineData("denialCode", "1_no_seat")]
    [InlineData("denialCode", "no seat")]
    [InlineData("denialMessage", "")]
    [InlineData("denialMessage", "   ")]
    public void Build_InvalidText_IsAnErrorAtItsJsonPath(string field, string value)
    {
        var (_, errors) = Build(WithWebType(TextField(field, value)));

        errors.ShouldHaveSingleItem().Field.ShouldBe($"policy.clientTypes.web.{field}");
    }

    [Fact]
    public void Build_DenialCodeOf64Characters_IsAccepted()
    {
        var (_, errors) = Build(WithWebType(new ClientTypeDocument { DenialCode = "c" + new string('_', 63) }));

        errors.ShouldBeEmpty();
    }

    [Fact]
    public void Build_DenialCodeOver64Characters_IsAnError()
    {
        var (_, errors) = Build(WithWebType(new ClientTypeDocument { DenialCode = new string('c', 65) }));

        errors.ShouldHaveSingleItem().Field.ShouldBe("policy.clientTypes.web.denialCode");
    }

    [Fact]
    public void Build_DenialMessageOf500Characters_IsAcceptedAndOneMoreIsAnError()
    {
        Build(WithWebType(new ClientTypeDocument { DenialMessage = new string('x', 500) })).Errors.ShouldBeEmpty();

        Build(WithWebType(new ClientTypeDocument { DenialMessage = new string('x', 501) }))
            .Errors.ShouldHaveSingleItem().Field.ShouldBe("policy.clientTypes.web.denialMessage");
    }

    private static ClientTypeDocument NumberField(string field, int value) => field switch
    {
        "weight" => new() { Weight = value },
        "ttlSeconds" => new() { TtlSeconds = value },
        "idleTimeoutSeconds" => new() { IdleTimeoutSeconds = value },
        "borrowDays" => new() { BorrowDays = value },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    private static ClientTypeDocument TextField(string field, string value) => field switch
    {
        "consumption" => new() { Consumption = value },
        "denialCode" => new() { DenialCode = value },
        "denialMessage" => new() { DenialMessage = value },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };
}
