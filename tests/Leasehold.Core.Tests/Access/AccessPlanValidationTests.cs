using System.Text.Json;
using Leasehold.Core.Access;
using Leasehold.Core.Policies;
using NodaTime;

namespace Leasehold.Core.Tests.Access;

public class AccessPlanValidationTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static (AccessPlan Plan, List<FieldError> Errors) Build(AccessPlanDocument? document)
    {
        var errors = new List<FieldError>();
        var plan = AccessPlanValidation.Build(document, "access", errors);
        return (plan, errors);
    }

    private static (AccessPlan Plan, List<FieldError> Errors) BuildJson(string json) =>
        Build(JsonSerializer.Deserialize<AccessPlanDocument>(json, Web));

    private static AccessPlanDocument WithWindow(string?[]? days = null, string? from = "07:00", string? to = "19:00") => new()
    {
        Kind = "weekly",
        Windows = [new WeeklyWindowDocument { Days = days ?? ["mon"], From = from, To = to }],
    };

    private static AccessPlanDocument WithMaintenance(string? from, string? to) => new()
    {
        Kind = "always",
        Maintenance = [new MaintenanceWindowDocument { From = from, To = to }],
    };

    private static void ShouldHaveOneError(List<FieldError> errors, string field, string containing)
    {
        errors.Count.ShouldBe(1, string.Join("; ", errors));
        errors[0].Field.ShouldBe(field);
        errors[0].Message.ShouldContain(containing);
    }

    [Fact]
    public void Build_NullDocument_IsRequired()
    {
        var (_, errors) = Build(null);

        errors.ShouldBe([new FieldError("access", "Required.")]);
    }

    [Fact]
    public void Build_JsonFromTheDocs_GivesTheWeeklyPlan()
    {
        var (plan, errors) = BuildJson("""
            {
              "kind": "weekly",
              "windows": [
                { "days": ["mon", "tue", "wed", "thu", "fri"], "from": "07:00", "to": "19:00" },
                { "days": ["fri"], "from": "22:00", "to": "02:00" },
                { "days": ["sun"], "from": "00:00", "to": "24:00" }
              ],
              "maintenance": [ { "from": "2026-03-01T02:00", "to": "2026-03-01T04:00" } ]
            }
            """);

        errors.ShouldBeEmpty();
        plan.Kind.ShouldBe(AccessPlanKind.Weekly);
        plan.Windows.Count.ShouldBe(3);
        plan.Windows[0].Days.ShouldBe([IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday]);
        plan.Windows[0].From.ShouldBe(new LocalTime(7, 0));
        plan.Windows[0].To.ShouldBe(new LocalTime(19, 0));
        plan.Windows[1].To.ShouldBe(new LocalTime(2, 0));
        plan.Windows[2].From.ShouldBe(LocalTime.Midnight);
        plan.Windows[2].To.ShouldBe(LocalTime.Midnight);
        plan.Maintenance.ShouldBe([new MaintenanceWindow(new LocalDateTime(2026, 3, 1, 2, 0), new LocalDateTime(2026, 3, 1, 4, 0))]);
    }

    [Fact]
    public void Build_Always_NeedsNoWindows()
    {
        var (plan, errors) = BuildJson("""{ "kind": "always" }""");

        errors.ShouldBeEmpty();
        plan.ShouldBe(AccessPlan.Always);
    }

    [Theory]
    [InlineData("business-hours")]
    [InlineData("always")]
    public void Preset_BuildsToThePresetPlan(string name)
    {
        var (plan, errors) = Build(AccessPlanDocument.Preset(name));

        errors.ShouldBeEmpty();
        plan.ShouldBe(name == "always" ? AccessPlan.Always : AccessPlan.BusinessHours);
    }

    [Theory]
    [InlineData("Business-Hours")]
    [InlineData("24/7")]
    [InlineData("")]
    public void Preset_UnknownName_IsNull(string name)
    {
        AccessPlanDocument.Preset(name).ShouldBeNull();
    }

    [Fact]
    public void From_ThenJson_ThenBuild_GivesBackTheSamePlan()
    {
        var original = new AccessPlan(
            AccessPlanKind.Weekly,
            [
                new WeeklyWindow([IsoDayOfWeek.Saturday, IsoDayOfWeek.Monday], new LocalTime(7, 30), new LocalTime(19, 0)),
                new WeeklyWindow([IsoDayOfWeek.Friday], new LocalTime(22, 0), LocalTime.Midnight),
                new WeeklyWindow([IsoDayOfWeek.Sunday], LocalTime.Midnight, LocalTime.Midnight),
            ],
            [new MaintenanceWindow(new LocalDateTime(2026, 3, 29, 2, 15), new LocalDateTime(2026, 3, 29, 3, 30, 15))]);

        var json = JsonSerializer.Serialize(AccessPlanDocument.From(original), Web);
        var (rebuilt, errors) = BuildJson(json);

        errors.ShouldBeEmpty();
        rebuilt.ShouldBe(original);
        json.ShouldContain("\"kind\":\"weekly\"");
        json.ShouldContain("\"days\":[\"sat\",\"mon\"]");
        json.ShouldContain("\"to\":\"24:00\"");
        json.ShouldContain("\"from\":\"2026-03-29T02:15\"");
    }

    [Fact]
    public void From_BusinessHours_IsTheDocumentedJson()
    {
        var json = JsonSerializer.Serialize(AccessPlanDocument.From(AccessPlan.BusinessHours), Web);

        json.ShouldBe("""{"kind":"weekly","windows":[{"days":["mon","tue","wed","thu","fri","sat"],"from":"07:00","to":"19:00"}],"maintenance":[]}""");
    }

    [Fact]
    public void Build_MissingKind_IsRequired()
    {
        var (_, errors) = Build(new AccessPlanDocument());

        ShouldHaveOneError(errors, "access.kind", "weekly or always");
    }

    [Fact]
    public void Build_UnknownKind_SaysWhatIsAllowed()
    {
        var (_, errors) = BuildJson("""{ "kind": "business-hours" }""");

        ShouldHaveOneError(errors, "access.kind", "Must be one of: weekly, always.");
    }

    [Fact]
    public void Build_WeeklyWithoutWindows_IsAnError()
    {
        var (_, errors) = BuildJson("""{ "kind": "weekly", "windows": [] }""");

        ShouldHaveOneError(errors, "access.windows", "between 1 and");
    }

    [Fact]
    public void Build_AlwaysWithWindows_IsAnError()
    {
        var (_, errors) = BuildJson("""{ "kind": "always", "windows": [ { "days": ["mon"], "from": "07:00", "to": "19:00" } ] }""");

        ShouldHaveOneError(errors, "access.windows", "Only a weekly plan");
    }

    [Fact]
    public void Build_TooManyWindows_IsAnError()
    {
        var window = new WeeklyWindowDocument { Days = ["mon"], From = "07:00", To = "08:00" };
        var (_, errors) = Build(new AccessPlanDocument { Kind = "weekly", Windows = Enumerable.Repeat(window, AccessPlanValidation.MaxWindows + 1).ToList() });

        ShouldHaveOneError(errors, "access.windows", $"between 1 and {AccessPlanValidation.MaxWindows}");
    }

    [Fact]
    public void Build_NullWindow_IsRequired()
    {
        var (_, errors) = BuildJson("""{ "kind": "weekly", "windows": [ null ] }""");

        ShouldHaveOneError(errors, "access.windows[0]", "Required");
    }

    [Theory]
    [InlineData("7:00")]
    [InlineData("24:00")]
    [InlineData("07:60")]
    [InlineData("07:00:00")]
    [InlineData("7am")]
    [InlineData("")]
    public void Build_BadFrom_NamesThePathAndTheFormat(string from)
    {
        var (_, errors) = Build(WithWindow(from: from));

        ShouldHaveOneError(errors, "access.windows[0].from", "HH:mm, 00:00 to 23:59");
    }

    [Theory]
    [InlineData("25:00")]
    [InlineData("24:01")]
    [InlineData("noon")]
    public void Build_BadTo_NamesThePathAndTheFormat(string to)
    {
        var (_, errors) = Build(WithWindow(to: to));

        ShouldHaveOneError(errors, "access.windows[0].to", "HH:mm, 00:00 to 24:00");
    }

    [Fact]
    public void Build_MissingTimes_AreRequired()
    {
        var (_, errors) = Build(WithWindow(from: null, to: null));

        errors.Select(e => e.Field).ShouldBe(["access.windows[0].from", "access.windows[0].to"]);
        errors.ShouldAllBe(e => e.Message.StartsWith("Required"));
    }

    [Theory]
    [InlineData("09:00", "09:00")]
    [InlineData("00:00", "00:00")]
    public void Build_FromEqualToTo_IsAnError(string from, string to)
    {
        var (_, errors) = Build(WithWindow(from: from, to: to));

        ShouldHaveOneError(errors, "access.windows[0].to", "00:00 to 24:00");
    }

    [Fact]
    public void Build_WholeDay_IsAllowed()
    {
        var (plan, errors) = Build(WithWindow(from: "00:00", to: "24:00"));

        errors.ShouldBeEmpty();
        plan.Windows[0].IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Build_OvernightWindow_IsAllowed()
    {
        var (plan, errors) = Build(WithWindow(from: "22:00", to: "02:00"));

        errors.ShouldBeEmpty();
        plan.Windows[0].ShouldBe(new WeeklyWindow([IsoDayOfWeek.Monday], new LocalTime(22, 0), new LocalTime(2, 0)));
    }

    [Fact]
    public void Build_UnknownDay_NamesItsIndex()
    {
        var (_, errors) = Build(WithWindow(days: ["mon", "Tue", "monday"]));

        errors.Select(e => e.Field).ShouldBe(["access.windows[0].days[1]", "access.windows[0].days[2]"]);
        errors[0].Message.ShouldBe("Must be one of: mon, tue, wed, thu, fri, sat, sun.");
    }

    [Fact]
    public void Build_RepeatedDay_IsAnError()
    {
        var (_, errors) = Build(WithWindow(days: ["mon", "tue", "mon"]));

        ShouldHaveOneError(errors, "access.windows[0].days[2]", "at most once");
    }

    [Fact]
    public void Build_NoDays_IsAnError()
    {
        var (_, errors) = Build(WithWindow(days: []));

        ShouldHaveOneError(errors, "access.windows[0].days", "at least one day");
    }

    [Fact]
    public void Build_ErrorsInSeveralWindows_AreAllReported()
    {
        var (_, errors) = BuildJson("""
            { "kind": "weekly", "windows": [
              { "days": ["mon"], "from": "07:00", "to": "19:00" },
              { "days": ["sun"], "from": "7", "to": "19:00" },
              { "days": ["xyz"], "from": "07:00", "to": "19:00" } ] }
            """);

        errors.Select(e => e.Field).ShouldBe(["access.windows[1].from", "access.windows[2].days[0]"]);
    }

    [Theory]
    [InlineData("2026-03-01T02:00Z")]
    [InlineData("2026-03-01T02:00+01:00")]
    [InlineData("2026-03-01")]
    [InlineData("2026-02-30T02:00")]
    [InlineData("01.03.2026 02:00")]
    public void Build_BadMaintenanceFrom_NamesThePathAndTheFormat(string from)
    {
        var (_, errors) = Build(WithMaintenance(from, "2026-03-01T04:00"));

        ShouldHaveOneError(errors, "access.maintenance[0].from", "yyyy-MM-ddTHH:mm, without an offset");
    }

    [Fact]
    public void Build_MaintenanceWithSeconds_IsAccepted()
    {
        var (plan, errors) = Build(WithMaintenance("2026-03-01T02:00:30", "2026-03-01T04:00"));

        errors.ShouldBeEmpty();
        plan.Maintenance[0].From.ShouldBe(new LocalDateTime(2026, 3, 1, 2, 0, 30));
    }

    [Theory]
    [InlineData("2026-03-01T04:00", "2026-03-01T04:00")]
    [InlineData("2026-03-01T04:00", "2026-03-01T02:00")]
    public void Build_MaintenanceEndingBeforeItStarts_IsAnError(string from, string to)
    {
        var (_, errors) = Build(WithMaintenance(from, to));

        ShouldHaveOneError(errors, "access.maintenance[0].to", "after 'from'");
    }

    [Fact]
    public void Build_MaintenanceMissingEnds_AreRequired()
    {
        var (_, errors) = BuildJson("""{ "kind": "always", "maintenance": [ {}, null ] }""");

        errors.Select(e => e.Field).ShouldBe(["access.maintenance[0].from", "access.maintenance[0].to", "access.maintenance[1]"]);
    }

    [Fact]
    public void Build_TooManyMaintenanceWindows_IsAnError()
    {
        var window = new MaintenanceWindowDocument { From = "2026-03-01T02:00", To = "2026-03-01T04:00" };
        var (_, errors) = Build(new AccessPlanDocument { Kind = "always", Maintenance = Enumerable.Repeat(window, AccessPlanValidation.MaxMaintenance + 1).ToList() });

        ShouldHaveOneError(errors, "access.maintenance", $"At most {AccessPlanValidation.MaxMaintenance}");
    }

    [Fact]
    public void Build_MaintenanceInADstGap_IsAccepted()
    {
        // Validation does not know the zone; the schedule maps gap times forward (see AccessScheduleTests).
        var (plan, errors) = Build(WithMaintenance("2026-03-29T02:15", "2026-03-29T03:30"));

        errors.ShouldBeEmpty();
        plan.Maintenance.Count.ShouldBe(1);
    }
}
