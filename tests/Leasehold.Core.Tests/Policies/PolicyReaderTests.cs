using System.Collections;
using System.Reflection;
using System.Text.Json;
using Leasehold.Core.Policies;

namespace Leasehold.Core.Tests.Policies;

/// <summary>The hand-written reader of policy files (leasehold policy validate) knows every field the document has, and reads it as the API does.</summary>
public class PolicyReaderTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>A document with every field given, down to the last nested one.</summary>
    private static PolicyDocument Full() => new()
    {
        SeatKey = "user",
        DefaultClientType = "web",
        ClientTypes = new Dictionary<string, ClientTypeDocument>
        {
            ["web"] = new()
            {
                Consumption = "seat", Weight = 2, TtlSeconds = 600, IdleTimeoutSeconds = 3600, DenialCode = "no_seat_available",
                DenialMessage = "All seats are taken.", Messages = new Dictionary<string, string> { ["license_expired"] = "Renew it." }, BorrowDays = 7,
                Waits = true,
            },
        },
        Limit = new LimitDocument { Mode = "soft", OverageCount = 2, OveragePercent = 10, WarningMessage = "Over the limit." },
        NamedUsers = ["ann"],
        Reservations = [new ReservationDocument { Name = "night", Seats = 1, Users = ["bob"] }],
        Plan = new PlanDocument { Name = "team", BaseSeats = 1, MaxSeats = 20, ChangePlanMessage = "Change plan." },
        Expiry = new ExpiryDocument { GraceDays = 3, WarnDays = 14, RenewDaysBefore = 10 },
        Connections = new ConnectionsDocument { Required = true, OnWindowClose = "warn" },
        Stops = new StopsDocument { CoolDownMinutes = 15 },
        WaitingLine = new WaitingLineDocument { Enabled = true, MaxLength = 50, MaxWaitSeconds = 600, OfferSeconds = 30 },
    };

    [Fact]
    public void AFullDocument_ReadsBackWhole_WithoutErrors()
    {
        var full = Full();
        AllGiven(full, "policy"); // a field added to the document later must be added here, and so to the reader
        var json = JsonSerializer.SerializeToElement(full, Web);
        var errors = new List<FieldError>();

        var read = PolicyReader.Read(json, "policy", errors);

        errors.ShouldBeEmpty();
        JsonSerializer.Serialize(read, Web).ShouldBe(JsonSerializer.Serialize(full, Web));
    }

    [Fact]
    public void NamesMatchWithoutRegardToCase_AndNullIsLeavingAFieldOut_AsInTheApi()
    {
        var errors = new List<FieldError>();

        var read = PolicyReader.Read(JsonDocument.Parse("""{"SeatKey": "user", "limit": null, "clientTypes": {"web": null}}""").RootElement, "policy", errors);

        errors.ShouldBeEmpty();
        read!.SeatKey.ShouldBe("user");
        read.Limit.ShouldBeNull();
        read.ClientTypes!["web"].ShouldBe(new ClientTypeDocument());
    }

    [Fact]
    public void EveryFaultOfShape_IsReported_ByPath()
    {
        var errors = new List<FieldError>();
        var json = JsonDocument.Parse("""
            {"seatKey": 1, "seatkey": "user", "plan": [], "expiry": {"graceDays": 1.5}, "connections": {"required": "yes"}, "reservations": {}}
            """).RootElement;

        PolicyReader.Read(json, "policy", errors);

        errors.ShouldBe([
            new FieldError("policy.seatkey", "Given more than once."),
            new FieldError("policy.seatKey", "Must be text (a JSON string), not a number."),
            new FieldError("policy.reservations", "Must be a list (a JSON array), not an object."),
            new FieldError("policy.plan", "Must be an object, not a list."),
            new FieldError("policy.expiry.graceDays", "Must be a whole number, not 1.5."),
            new FieldError("policy.connections.required", "Must be true or false, not text."),
        ]);
    }

    private static void AllGiven(object document, string path)
    {
        foreach (var property in document.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var value = property.GetValue(document);
            value.ShouldNotBeNull($"{path}.{property.Name}");
            if (value is IDictionary map)
            {
                foreach (DictionaryEntry entry in map)
                    Check(entry.Value!, $"{path}.{property.Name}.{entry.Key}");
            }
            else if (value is IEnumerable list and not string)
            {
                foreach (var item in list)
                    Check(item, $"{path}.{property.Name}[]");
            }
            else
                Check(value, $"{path}.{property.Name}");
        }

        static void Check(object value, string at)
        {
            if (value.GetType().Namespace == typeof(PolicyDocument).Namespace && value.GetType().IsClass)
                AllGiven(value, at);
        }
    }
}
