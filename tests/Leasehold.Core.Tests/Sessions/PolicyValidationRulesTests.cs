using Leasehold.Core.Policies;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>
/// Building the policy rules (limit, named users, reservations, plan, expiry, connections) from their JSON
/// documents: every fault is named by its JSON path, and a built policy survives the trip back to a document.
/// </summary>
public class PolicyValidationRulesTests
{
    private static (LicensePolicy Policy, List<FieldError> Errors) Build(PolicyDocument document)
    {
        var errors = new List<FieldError>();
        var policy = PolicyValidation.Build(document, "policy", errors);
        return (policy, errors);
    }

    private static List<string> FieldsAtFault(PolicyDocument document) => [.. Build(document).Errors.Select(e => e.Field)];

    // ---- Defaults ----

    [Fact]
    public void AnEmptyDocument_GivesTheDefaultRules()
    {
        var (policy, errors) = Build(new PolicyDocument());

        errors.ShouldBeEmpty();
        policy.Limit.ShouldBe(LimitPolicy.Hard);
        policy.NamedUsers.ShouldBeEmpty();
        policy.Reservations.ShouldBeEmpty();
        policy.Plan.ShouldBeNull();
        policy.Expiry.ShouldBe(new ExpiryPolicy(GraceDays: 0, WarnDays: 14));
        policy.Connections.ShouldBe(new ConnectionPolicy(Required: false, WindowCloseAction.End));
    }

    [Fact]
    public void SeatKeyConnection_IsKnown()
    {
        var (policy, errors) = Build(new PolicyDocument { SeatKey = "connection" });

        errors.ShouldBeEmpty();
        policy.SeatKey.ShouldBe(SeatKey.Connection);
    }

    // ---- limit ----

    [Fact]
    public void Limit_SoftWithACount_IsTakenAsGivenWithTheDefaultWarning()
    {
        var (policy, errors) = Build(new PolicyDocument { Limit = new LimitDocument { Mode = "soft", OverageCount = 3 } });

        errors.ShouldBeEmpty();
        policy.Limit.ShouldBe(new LimitPolicy(LimitMode.Soft, 3, null, LimitPolicy.DefaultWarning));
    }

    [Fact]
    public void Limit_SoftWithAPercentAndAWarning_IsTakenAsGiven()
    {
        var (policy, errors) = Build(new PolicyDocument
        {
            Limit = new LimitDocument { Mode = "soft", OveragePercent = 10, WarningMessage = "Buy more seats." },
        });

        errors.ShouldBeEmpty();
        policy.Limit.ShouldBe(new LimitPolicy(LimitMode.Soft, null, 10, "Buy more seats."));
    }

    [Fact]
    public void Limit_WithoutAMode_IsHard()
    {
        var (policy, errors) = Build(new PolicyDocument { Limit = new LimitDocument() });

        errors.ShouldBeEmpty();
        policy.Limit.Mode.ShouldBe(LimitMode.Hard);
    }

    [Theory]
    [InlineData("medium")]
    [InlineData("Soft")]
    [InlineData("")]
    public void Limit_UnknownMode_IsAnErrorOnLimitMode(string mode)
    {
        var (_, errors) = Build(new PolicyDocument { Limit = new LimitDocument { Mode = mode } });

        errors.ShouldBe([new FieldError("policy.limit.mode", "Must be one of: hard, soft.")]);
    }

    [Fact]
    public void Limit_BothACountAndAPercent_IsAnErrorOnOveragePercent()
    {
        var (_, errors) = Build(new PolicyDocument { Limit = new LimitDocument { Mode = "soft", OverageCount = 2, OveragePercent = 10 } });

        errors.ShouldBe([new FieldError("policy.limit.overagePercent", "Give overageCount or overagePercent, not both.")]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1_000_001)]
    public void Limit_OverageCountOutOfRange_IsAnErrorOnOverageCount(int count)
    {
        FieldsAtFault(new PolicyDocument { Limit = new LimitDocument { Mode = "soft", OverageCount = count } })
            .ShouldBe(["policy.limit.overageCount"]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    public void Limit_OveragePercentOutOfRange_IsAnErrorOnOveragePercent(int percent)
    {
        FieldsAtFault(new PolicyDocument { Limit = new LimitDocument { Mode = "soft", OveragePercent = percent } })
            .ShouldBe(["policy.limit.overagePercent"]);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(1_000_000, null)]
    [InlineData(null, 0)]
    [InlineData(null, 1000)]
    public void Limit_OverageAtTheEndsOfItsRange_IsAccepted(int? count, int? percent)
    {
        FieldsAtFault(new PolicyDocument { Limit = new LimitDocument { Mode = "soft", OverageCount = count, OveragePercent = percent } })
            .ShouldBeEmpty();
    }

    [Theory]
    [InlineData("hard")]
    [InlineData(null)]
    public void Limit_AnOverageCapInHardMode_IsAnErrorOnLimitMode(string? mode)
    {
        var (_, errors) = Build(new PolicyDocument { Limit = new LimitDocument { Mode = mode, OverageCount = 2 } });

        errors.ShouldBe([new FieldError("policy.limit.mode", "An overage cap only applies in soft mode.")]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Line one\nline two")]
    public void Limit_AnUnshowableWarning_IsAnErrorOnWarningMessage(string warning)
    {
        var (_, errors) = Build(new PolicyDocument { Limit = new LimitDocument { Mode = "soft", WarningMessage = warning } });

        errors.ShouldBe([new FieldError("policy.limit.warningMessage", "Must be 1-500 characters, without control characters.")]);
    }

    [Fact]
    public void Limit_AWarningOf501Characters_IsAnError()
    {
        FieldsAtFault(new PolicyDocument { Limit = new LimitDocument { Mode = "soft", WarningMessage = new string('w', 501) } })
            .ShouldBe(["policy.limit.warningMessage"]);
    }

    // ---- namedUsers ----

    [Fact]
    public void NamedUsers_AreTrimmedAndMatchedWithoutRegardToCase()
    {
        var (policy, errors) = Build(new PolicyDocument { NamedUsers = [" carol ", "Dan"] });

        errors.ShouldBeEmpty();
        policy.IsNamed("carol").ShouldBeTrue();
        policy.IsNamed("CAROL").ShouldBeTrue();
        policy.IsNamed("dan").ShouldBeTrue();
        policy.IsNamed("erin").ShouldBeFalse();
    }

    [Fact]
    public void NamedUsers_BadEntriesAreErrorsByIndex()
    {
        var (_, errors) = Build(new PolicyDocument { NamedUsers = ["carol", "", "tab\there", new string('x', 257), "  "] });

        errors.Select(e => e.Field).ShouldBe(["policy.namedUsers[1]", "policy.namedUsers[2]", "policy.namedUsers[3]", "policy.namedUsers[4]"]);
        errors[0].Message.ShouldBe("A user is 1-256 characters, without control characters.");
    }

    [Fact]
    public void NamedUsers_A256CharacterNameIsAccepted()
    {
        FieldsAtFault(new PolicyDocument { NamedUsers = [new string('x', 256)] }).ShouldBeEmpty();
    }

    [Fact]
    public void NamedUsers_MoreThanTheMaximum_IsAnErrorOnTheList()
    {
        var users = Enumerable.Range(0, PolicyValidation.MaxListedUsers + 1).Select(i => $"user{i}").ToList();

        var (_, errors) = Build(new PolicyDocument { NamedUsers = users });

        errors.ShouldBe([new FieldError("policy.namedUsers", "At most 10000 users.")]);
    }

    // ---- reservations ----

    [Fact]
    public void Reservations_AreTakenAsGiven_Trimmed()
    {
        var (policy, errors) = Build(new PolicyDocument
        {
            Reservations = [new ReservationDocument { Name = " Support ", Seats = 2, Users = ["sam", " Sue "] }],
        });

        errors.ShouldBeEmpty();
        var support = policy.Reservations.ShouldHaveSingleItem();
        support.Name.ShouldBe("Support");
        support.Seats.ShouldBe(2);
        support.Users.ShouldBe(["sam", "Sue"], ignoreOrder: true);
        policy.ReservationOf("SUE").ShouldBeSameAs(support);
        policy.ReservationOf("dave").ShouldBeNull();
    }

    [Fact]
    public void Reservations_AnEmptyReservation_IsAnErrorOnEachMissingField()
    {
        var (_, errors) = Build(new PolicyDocument { Reservations = [new ReservationDocument()] });

        errors.ShouldBe(
        [
            new FieldError("policy.reservations[0].name", "A reservation needs a name of 1-100 characters."),
            new FieldError("policy.reservations[0].seats", "Must be at least 1."),
            new FieldError("policy.reservations[0].users", "Name the users the seats are held for."),
        ]);
    }

    [Fact]
    public void Reservations_ANameOver100Characters_IsAnErrorOnItsName()
    {
        FieldsAtFault(new PolicyDocument
        {
            Reservations = [new ReservationDocument { Name = new string('n', 101), Seats = 1, Users = ["sam"] }],
        }).ShouldBe(["policy.reservations[0].name"]);
    }

    [Fact]
    public void Reservations_ZeroSeats_IsAnErrorOnSeats()
    {
        FieldsAtFault(new PolicyDocument
        {
            Reservations = [new ReservationDocument { Name = "support", Seats = 0, Users = ["sam"] }],
        }).ShouldBe(["policy.reservations[0].seats"]);
    }

    [Fact]
    public void Reservations_ABadUser_IsAnErrorByItsIndexInTheReservation()
    {
        FieldsAtFault(new PolicyDocument
        {
            Reservations =
            [
                new ReservationDocument { Name = "support", Seats = 1, Users = ["sam"] },
                new ReservationDocument { Name = "sales", Seats = 1, Users = ["sal", ""] },
            ],
        }).ShouldBe(["policy.reservations[1].users[1]"]);
    }

    [Fact]
    public void Reservations_AUserInTwoReservations_IsAnErrorOnTheSecond()
    {
        var (_, errors) = Build(new PolicyDocument
        {
            Reservations =
            [
                new ReservationDocument { Name = "support", Seats = 1, Users = ["sam"] },
                new ReservationDocument { Name = "sales", Seats = 1, Users = ["sal", "SAM"] },
            ],
        });

        errors.ShouldBe([new FieldError("policy.reservations[1].users", "'SAM' is in more than one reservation; a user may be in one.")]);
    }

    [Fact]
    public void Reservations_ANamedUser_IsAnErrorOnTheReservationsUsers()
    {
        var (_, errors) = Build(new PolicyDocument
        {
            NamedUsers = ["carol"],
            Reservations = [new ReservationDocument { Name = "support", Seats = 1, Users = ["sam", "Carol"] }],
        });

        errors.ShouldBe([new FieldError("policy.reservations[0].users", "'Carol' is a named user, who needs no reserved seat.")]);
    }

    // ---- plan ----

    [Fact]
    public void Plan_IsTakenAsGiven()
    {
        var (policy, errors) = Build(new PolicyDocument
        {
            Plan = new PlanDocument { Name = " Team ", BaseSeats = 5, MaxSeats = 20, ChangePlanMessage = "Move to Business." },
        });

        errors.ShouldBeEmpty();
        policy.Plan.ShouldBe(new PlanPolicy("Team", 5, 20, "Move to Business."));
    }

    [Fact]
    public void Plan_WithoutAMessage_GetsOneNamingThePlanAndItsMaximum()
    {
        var (policy, _) = Build(new PolicyDocument { Plan = new PlanDocument { Name = "Team", BaseSeats = 5, MaxSeats = 20 } });

        policy.Plan.ShouldNotBeNull().ChangePlanMessage.ShouldBe(
            "The Team plan allows at most 20 seats. To grow beyond that, change to a plan that fits your organization.");
    }

    [Fact]
    public void Plan_MaxEqualToBase_IsAccepted()
    {
        FieldsAtFault(new PolicyDocument { Plan = new PlanDocument { Name = "Fixed", BaseSeats = 10, MaxSeats = 10 } }).ShouldBeEmpty();
    }

    [Fact]
    public void Plan_AnEmptyPlan_IsAnErrorOnEachMissingField()
    {
        var (_, errors) = Build(new PolicyDocument { Plan = new PlanDocument() });

        errors.ShouldBe(
        [
            new FieldError("policy.plan.name", "A plan needs a name of 1-100 characters."),
            new FieldError("policy.plan.baseSeats", "Must be at least 1."),
            new FieldError("policy.plan.maxSeats", "Must be at least baseSeats."),
        ]);
    }

    [Fact]
    public void Plan_ZeroBaseSeats_IsAnErrorOnBaseSeats()
    {
        FieldsAtFault(new PolicyDocument { Plan = new PlanDocument { Name = "Team", BaseSeats = 0, MaxSeats = 20 } })
            .ShouldBe(["policy.plan.baseSeats"]);
    }

    [Fact]
    public void Plan_MaxBelowBase_IsAnErrorOnMaxSeats()
    {
        FieldsAtFault(new PolicyDocument { Plan = new PlanDocument { Name = "Team", BaseSeats = 5, MaxSeats = 4 } })
            .ShouldBe(["policy.plan.maxSeats"]);
    }

    [Fact]
    public void Plan_AnUnshowableMessage_IsAnErrorOnChangePlanMessage()
    {
        FieldsAtFault(new PolicyDocument
        {
            Plan = new PlanDocument { Name = "Team", BaseSeats = 5, MaxSeats = 20, ChangePlanMessage = "Call\u0007us" },
        }).ShouldBe(["policy.plan.changePlanMessage"]);
    }

    // ---- expiry ----

    [Fact]
    public void Expiry_IsTakenAsGiven()
    {
        var (policy, errors) = Build(new PolicyDocument { Expiry = new ExpiryDocument { GraceDays = 7, WarnDays = 30 } });

        errors.ShouldBeEmpty();
        policy.Expiry.ShouldBe(new ExpiryPolicy(7, 30));
    }

    [Fact]
    public void Expiry_AFieldLeftOut_TakesItsDefault()
    {
        Build(new PolicyDocument { Expiry = new ExpiryDocument { GraceDays = 3 } }).Policy.Expiry.ShouldBe(new ExpiryPolicy(3, 14));
        Build(new PolicyDocument { Expiry = new ExpiryDocument { WarnDays = 0 } }).Policy.Expiry.ShouldBe(new ExpiryPolicy(0, 0));
    }

    [Theory]
    [InlineData(-1, 14, "policy.expiry.graceDays")]
    [InlineData(366, 14, "policy.expiry.graceDays")]
    [InlineData(0, -1, "policy.expiry.warnDays")]
    [InlineData(0, 366, "policy.expiry.warnDays")]
    public void Expiry_DaysOutOfRange_IsAnErrorOnThatField(int grace, int warn, string field)
    {
        var (_, errors) = Build(new PolicyDocument { Expiry = new ExpiryDocument { GraceDays = grace, WarnDays = warn } });

        errors.ShouldBe([new FieldError(field, "Must be between 0 and 365.")]);
    }

    [Fact]
    public void Expiry_365Days_IsAccepted()
    {
        FieldsAtFault(new PolicyDocument { Expiry = new ExpiryDocument { GraceDays = 365, WarnDays = 365, RenewDaysBefore = 365 } }).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(366)]
    public void Expiry_RenewDaysBefore_OutOfRange_IsAnErrorOnThatField(int days)
    {
        var (_, errors) = Build(new PolicyDocument { Expiry = new ExpiryDocument { RenewDaysBefore = days } });

        errors.ShouldBe([new FieldError("policy.expiry.renewDaysBefore", "Must be between 1 and 365.")]);
    }

    [Fact]
    public void Expiry_RenewDaysBefore_DefaultsToTwoWeeks()
    {
        Build(new PolicyDocument { Expiry = new ExpiryDocument { GraceDays = 3 } }).Policy.Expiry.RenewDaysBefore.ShouldBe(14);
    }

    // ---- connections ----

    [Fact]
    public void Connections_AreTakenAsGiven()
    {
        var (policy, errors) = Build(new PolicyDocument { Connections = new ConnectionsDocument { Required = true, OnWindowClose = "warn" } });

        errors.ShouldBeEmpty();
        policy.Connections.ShouldBe(new ConnectionPolicy(true, WindowCloseAction.Warn));
    }

    [Fact]
    public void Connections_FieldsLeftOut_AreNotRequiredAndEndAtWindowClose()
    {
        Build(new PolicyDocument { Connections = new ConnectionsDocument() }).Policy.Connections
            .ShouldBe(new ConnectionPolicy(false, WindowCloseAction.End));
    }

    [Theory]
    [InlineData("close")]
    [InlineData("Warn")]
    public void Connections_UnknownWindowCloseAction_IsAnErrorOnOnWindowClose(string action)
    {
        var (_, errors) = Build(new PolicyDocument { Connections = new ConnectionsDocument { OnWindowClose = action } });

        errors.ShouldBe([new FieldError("policy.connections.onWindowClose", "Must be one of: end, warn.")]);
    }

    // ---- Several faults at once ----

    [Fact]
    public void EveryFaultyRule_IsReportedInOnePass()
    {
        FieldsAtFault(new PolicyDocument
        {
            Limit = new LimitDocument { Mode = "medium" },
            NamedUsers = [""],
            Reservations = [new ReservationDocument { Name = "support", Seats = 0, Users = ["sam"] }],
            Plan = new PlanDocument { Name = "Team", BaseSeats = 5, MaxSeats = 1 },
            Expiry = new ExpiryDocument { GraceDays = -1 },
            Connections = new ConnectionsDocument { OnWindowClose = "never" },
        }).ShouldBe(
            [
                "policy.limit.mode",
                "policy.namedUsers[0]",
                "policy.reservations[0].seats",
                "policy.plan.maxSeats",
                "policy.expiry.graceDays",
                "policy.connections.onWindowClose",
            ],
            ignoreOrder: true);
    }

    // ---- Round trip ----

    private static PolicyDocument EveryRule() => new()
    {
        SeatKey = "connection",
        Limit = new LimitDocument { Mode = "soft", OveragePercent = 25, WarningMessage = "Over the limit." },
        NamedUsers = ["dan", "Carol"],
        Reservations =
        [
            new ReservationDocument { Name = "support", Seats = 2, Users = ["sue", "Sam"] },
            new ReservationDocument { Name = "sales", Seats = 1, Users = ["sal"] },
        ],
        Plan = new PlanDocument { Name = "Team", BaseSeats = 5, MaxSeats = 20, ChangePlanMessage = "Move to Business." },
        Expiry = new ExpiryDocument { GraceDays = 7, WarnDays = 30, RenewDaysBefore = 10 },
        Connections = new ConnectionsDocument { Required = true, OnWindowClose = "warn" },
    };

    [Fact]
    public void RoundTrip_ADocumentOfEveryRule_ComesBackAsWritten_ListsSorted()
    {
        var (policy, errors) = Build(EveryRule());
        errors.ShouldBeEmpty();

        var document = PolicyDocument.From(policy);

        document.SeatKey.ShouldBe("connection");
        document.Limit.ShouldBe(new LimitDocument { Mode = "soft", OveragePercent = 25, WarningMessage = "Over the limit." });
        document.NamedUsers.ShouldBe(["Carol", "dan"]);
        document.Reservations.ShouldNotBeNull().Count.ShouldBe(2);
        document.Reservations[0].Name.ShouldBe("support");
        document.Reservations[0].Seats.ShouldBe(2);
        document.Reservations[0].Users.ShouldBe(["Sam", "sue"]);
        document.Reservations[1].Name.ShouldBe("sales");
        document.Reservations[1].Users.ShouldBe(["sal"]);
        document.Plan.ShouldBe(new PlanDocument { Name = "Team", BaseSeats = 5, MaxSeats = 20, ChangePlanMessage = "Move to Business." });
        document.Expiry.ShouldBe(new ExpiryDocument { GraceDays = 7, WarnDays = 30, RenewDaysBefore = 10 });
        document.Connections.ShouldBe(new ConnectionsDocument { Required = true, OnWindowClose = "warn" });
    }

    [Fact]
    public void RoundTrip_BuildingTheReturnedDocumentAgain_GivesTheSameRules()
    {
        var (policy, _) = Build(EveryRule());

        var (again, errors) = Build(PolicyDocument.From(policy));

        errors.ShouldBeEmpty();
        again.SeatKey.ShouldBe(policy.SeatKey);
        again.Limit.ShouldBe(policy.Limit);
        again.NamedUsers.ShouldBe(policy.NamedUsers, ignoreOrder: true);
        again.Reservations.Select(r => (r.Name, r.Seats)).ShouldBe(policy.Reservations.Select(r => (r.Name, r.Seats)));
        again.Reservations.Zip(policy.Reservations).ShouldAllBe(pair => pair.First.Users.SetEquals(pair.Second.Users));
        again.Plan.ShouldBe(policy.Plan);
        again.Expiry.ShouldBe(policy.Expiry);
        again.Connections.ShouldBe(policy.Connections);
    }

    [Fact]
    public void RoundTrip_TheDefaultPolicy_WritesEveryRuleExplicitlyAndBuildsBackWithoutErrors()
    {
        var document = PolicyDocument.From(LicensePolicy.Default);

        document.Limit.ShouldBe(new LimitDocument { Mode = "hard", WarningMessage = LimitPolicy.DefaultWarning });
        document.NamedUsers.ShouldBeEmpty();
        document.Reservations.ShouldBeEmpty();
        document.Plan.ShouldBeNull();
        document.Expiry.ShouldBe(new ExpiryDocument { GraceDays = 0, WarnDays = 14, RenewDaysBefore = 14 });
        document.Connections.ShouldBe(new ConnectionsDocument { Required = false, OnWindowClose = "end" });

        var (again, errors) = Build(document);
        errors.ShouldBeEmpty();
        again.Limit.ShouldBe(LimitPolicy.Hard);
        again.Plan.ShouldBeNull();
        again.Expiry.ShouldBe(ExpiryPolicy.Default);
        again.Connections.ShouldBe(ConnectionPolicy.Default);
    }

    [Fact]
    public void RoundTrip_ASoftLimitWithACount_KeepsTheCount()
    {
        var (policy, _) = Build(new PolicyDocument { Limit = new LimitDocument { Mode = "soft", OverageCount = 4 } });

        var (again, errors) = Build(PolicyDocument.From(policy));

        errors.ShouldBeEmpty();
        again.Limit.ShouldBe(new LimitPolicy(LimitMode.Soft, 4, null, LimitPolicy.DefaultWarning));
    }
}
