using System.Text.Json;

namespace Leasehold.Core.Policies;

/// <summary>
/// Reads a <see cref="PolicyDocument"/> from JSON as an operator wrote it, and says everything that is
/// wrong with its shape at once: every unknown field, every value of the wrong type, every field given
/// twice, each by its path in the policy (<c>policy.clientTypes.web.maxSeats</c>, <c>policy.namedUsers[2]</c>:
/// the paths <see cref="PolicyValidation"/> and the API's <c>field</c> use), in words, never a .NET type.
/// What could be read is returned, so <see cref="PolicyValidation.Build"/> can then check its rules too.
/// The same strictness as the API's binding: unknown fields, numbers as strings and repeated fields are
/// errors; names match without regard to case; <c>null</c> is the same as leaving a field out.
/// </summary>
public static class PolicyReader
{
    /// <summary>The document, or null when the JSON is null; faults are added to <paramref name="errors"/>.</summary>
    public static PolicyDocument? Read(JsonElement json, string path, List<FieldError> errors)
    {
        if (json.ValueKind == JsonValueKind.Null)
            return null;
        if (Fields.Of(json, path, errors, "seatKey", "defaultClientType", "clientTypes", "limit", "namedUsers", "reservations", "plan",
                "expiry", "connections", "stops", "waitingLine") is not { } f)
            return null;
        return new PolicyDocument
        {
            SeatKey = f.Text("seatKey"),
            DefaultClientType = f.Text("defaultClientType"),
            ClientTypes = f.Map("clientTypes", ReadClientType),
            Limit = f.Object("limit", l => new LimitDocument
            {
                Mode = l.Text("mode"),
                OverageCount = l.Number("overageCount"),
                OveragePercent = l.Number("overagePercent"),
                WarningMessage = l.Text("warningMessage"),
            }, "mode", "overageCount", "overagePercent", "warningMessage"),
            NamedUsers = f.TextList("namedUsers"),
            Reservations = f.List("reservations", (element, at) =>
                Fields.Of(element, at, errors, "name", "seats", "users") is { } r
                    ? new ReservationDocument { Name = r.Text("name"), Seats = r.Number("seats"), Users = r.TextList("users") }
                    : null),
            Plan = f.Object("plan", p => new PlanDocument
            {
                Name = p.Text("name"),
                BaseSeats = p.Number("baseSeats"),
                MaxSeats = p.Number("maxSeats"),
                ChangePlanMessage = p.Text("changePlanMessage"),
            }, "name", "baseSeats", "maxSeats", "changePlanMessage"),
            Expiry = f.Object("expiry", e => new ExpiryDocument
            {
                GraceDays = e.Number("graceDays"),
                WarnDays = e.Number("warnDays"),
                RenewDaysBefore = e.Number("renewDaysBefore"),
            }, "graceDays", "warnDays", "renewDaysBefore"),
            Connections = f.Object("connections", c => new ConnectionsDocument
            {
                Required = c.Flag("required"),
                OnWindowClose = c.Text("onWindowClose"),
            }, "required", "onWindowClose"),
            Stops = f.Object("stops", s => new StopsDocument { CoolDownMinutes = s.Number("coolDownMinutes") }, "coolDownMinutes"),
            WaitingLine = f.Object("waitingLine", w => new WaitingLineDocument
            {
                Enabled = w.Flag("enabled"),
                MaxLength = w.Number("maxLength"),
                MaxWaitSeconds = w.Number("maxWaitSeconds"),
                OfferSeconds = w.Number("offerSeconds"),
            }, "enabled", "maxLength", "maxWaitSeconds", "offerSeconds"),
        };

        ClientTypeDocument? ReadClientType(JsonElement element, string at) =>
            element.ValueKind == JsonValueKind.Null ? new ClientTypeDocument() // null: the type with its defaults
            : Fields.Of(element, at, errors, "consumption", "weight", "ttlSeconds", "idleTimeoutSeconds", "denialCode", "denialMessage", "messages",
                "borrowDays", "waits") is { } t
                ? new ClientTypeDocument
                {
                    Consumption = t.Text("consumption"),
                    Weight = t.Number("weight"),
                    TtlSeconds = t.Number("ttlSeconds"),
                    IdleTimeoutSeconds = t.Number("idleTimeoutSeconds"),
                    DenialCode = t.Text("denialCode"),
                    DenialMessage = t.Text("denialMessage"),
                    Messages = t.Map("messages", (text, textAt) => // null: no text, which the rules refuse
                        text.ValueKind == JsonValueKind.Null ? "" : Fields.TextOf(text, textAt, errors)),
                    BorrowDays = t.Number("borrowDays"),
                    Waits = t.Flag("waits"),
                }
                : null;
    }

    /// <summary>The fields of one JSON object, by their documented names, with what is wrong reported as it is read.</summary>
    private sealed class Fields
    {
        private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);
        private readonly string _path;
        private readonly List<FieldError> _errors;

        private Fields(string path, List<FieldError> errors)
        {
            _path = path;
            _errors = errors;
        }

        /// <summary>The object's fields, or null (and an error) when <paramref name="json"/> is not an object.</summary>
        public static Fields? Of(JsonElement json, string path, List<FieldError> errors, params string[] known)
        {
            if (json.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(path, $"Must be an object{(json.ValueKind == JsonValueKind.Null ? "" : $", not {Kind(json)}")}."));
                return null;
            }
            var fields = new Fields(path, errors);
            foreach (var property in json.EnumerateObject())
            {
                var name = known.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
                if (name is null)
                    errors.Add(new($"{path}.{property.Name}", $"Unknown field; the fields here are: {string.Join(", ", known)}."));
                else if (!fields._values.TryAdd(name, property.Value))
                    errors.Add(new($"{path}.{property.Name}", "Given more than once."));
            }
            return fields;
        }

        public static string? TextOf(JsonElement value, string path, List<FieldError> errors)
        {
            if (value.ValueKind is JsonValueKind.String or JsonValueKind.Null)
                return value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            errors.Add(new(path, $"Must be text (a JSON string), not {Kind(value)}."));
            return null;
        }

        public string? Text(string name) => Get(name) is { } value ? TextOf(value, At(name), _errors) : null;

        public int? Number(string name)
        {
            if (Get(name) is not { } value)
                return null;
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
                return number;
            _errors.Add(new(At(name), value.ValueKind != JsonValueKind.Number ? $"Must be a whole number, not {Kind(value)}."
                : value.TryGetDecimal(out var fraction) && fraction == decimal.Truncate(fraction) ? "Must be a whole number between -2147483648 and 2147483647."
                : $"Must be a whole number, not {value.GetRawText()}."));
            return null;
        }

        public bool? Flag(string name)
        {
            if (Get(name) is not { } value)
                return null;
            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                return value.GetBoolean();
            _errors.Add(new(At(name), $"Must be true or false, not {Kind(value)}."));
            return null;
        }

        public T? Object<T>(string name, Func<Fields, T> read, params string[] known) where T : class =>
            Get(name) is { } value && Of(value, At(name), _errors, known) is { } fields ? read(fields) : null;

        public List<T>? List<T>(string name, Func<JsonElement, string, T?> read)
        {
            if (Get(name) is not { } value)
                return null;
            if (value.ValueKind != JsonValueKind.Array)
            {
                _errors.Add(new(At(name), $"Must be a list (a JSON array), not {Kind(value)}."));
                return null;
            }
            var items = new List<T>();
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (read(item, $"{At(name)}[{i}]") is { } one)
                    items.Add(one);
                i++;
            }
            return items;
        }

        public List<string>? TextList(string name) =>
            List(name, (item, at) => item.ValueKind == JsonValueKind.Null ? "" : TextOf(item, at, _errors));

        public Dictionary<string, T>? Map<T>(string name, Func<JsonElement, string, T?> read)
        {
            if (Get(name) is not { } value)
                return null;
            if (value.ValueKind != JsonValueKind.Object)
            {
                _errors.Add(new(At(name), $"Must be an object, not {Kind(value)}."));
                return null;
            }
            var map = new Dictionary<string, T>(StringComparer.Ordinal);
            foreach (var entry in value.EnumerateObject())
            {
                var at = $"{At(name)}.{entry.Name}";
                if (map.ContainsKey(entry.Name))
                    _errors.Add(new(at, "Given more than once."));
                else if (read(entry.Value, at) is { } item)
                    map[entry.Name] = item;
            }
            return map;
        }

        private JsonElement? Get(string name) =>
            _values.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        private string At(string name) => $"{_path}.{name}";

        private static string Kind(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => "text",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "true or false",
            JsonValueKind.Array => "a list",
            JsonValueKind.Object => "an object",
            _ => "null",
        };
    }
}
