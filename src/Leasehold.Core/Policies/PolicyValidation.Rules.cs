using Leasehold.Core.Sessions;

namespace Leasehold.Core.Policies;

public static partial class PolicyValidation
{
    public const int MaxListedUsers = 10_000;

    private static LimitPolicy BuildLimit(LimitDocument? document, string path, List<FieldError> errors)
    {
        if (document is null)
            return LimitPolicy.Hard;
        var mode = document.Mode switch
        {
            null or "hard" => LimitMode.Hard,
            "soft" => LimitMode.Soft,
            _ => (LimitMode?)null,
        };
        if (mode is null)
            errors.Add(new($"{path}.mode", "Must be one of: hard, soft."));
        if (document.OverageCount is not null && document.OveragePercent is not null)
            errors.Add(new($"{path}.overagePercent", "Give overageCount or overagePercent, not both."));
        if (document.OverageCount is < 0 or > 1_000_000)
            errors.Add(new($"{path}.overageCount", "Must be between 0 and 1000000."));
        if (document.OveragePercent is < 0 or > 1000)
            errors.Add(new($"{path}.overagePercent", "Must be between 0 and 1000."));
        if (mode == LimitMode.Hard && (document.OverageCount is not null || document.OveragePercent is not null))
            errors.Add(new($"{path}.mode", "An overage cap only applies in soft mode."));
        var warning = document.WarningMessage ?? LimitPolicy.DefaultWarning;
        if (!IsText(warning))
            errors.Add(new($"{path}.warningMessage", TextRule));
        return new LimitPolicy(mode ?? LimitMode.Hard, document.OverageCount, document.OveragePercent, warning);
    }

    private static HashSet<string> BuildUsers(IReadOnlyList<string>? users, string path, List<FieldError> errors)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (users is null)
            return set;
        if (users.Count > MaxListedUsers)
            errors.Add(new(path, $"At most {MaxListedUsers} users."));
        for (var i = 0; i < users.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(users[i]) || users[i].Length > 256 || users[i].Any(char.IsControl))
                errors.Add(new($"{path}[{i}]", "A user is 1-256 characters, without control characters."));
            else
                set.Add(users[i].Trim());
        }
        return set;
    }

    private static List<Reservation> BuildReservations(IReadOnlyList<ReservationDocument>? documents, IReadOnlySet<string> named, string path, List<FieldError> errors)
    {
        var reservations = new List<Reservation>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < (documents?.Count ?? 0); i++)
        {
            var document = documents![i];
            var at = $"{path}[{i}]";
            if (string.IsNullOrWhiteSpace(document.Name) || document.Name.Length > 100)
                errors.Add(new($"{at}.name", "A reservation needs a name of 1-100 characters."));
            if (document.Seats is null or < 1)
                errors.Add(new($"{at}.seats", "Must be at least 1."));
            var users = BuildUsers(document.Users, $"{at}.users", errors);
            if (users.Count == 0)
                errors.Add(new($"{at}.users", "Name the users the seats are held for."));
            foreach (var user in users)
            {
                if (!seen.Add(user))
                    errors.Add(new($"{at}.users", $"'{user}' is in more than one reservation; a user may be in one."));
                else if (named.Contains(user))
                    errors.Add(new($"{at}.users", $"'{user}' is a named user, who needs no reserved seat."));
            }
            reservations.Add(new Reservation(document.Name?.Trim() ?? "", document.Seats ?? 0, users));
        }
        return reservations;
    }

    private static PlanPolicy? BuildPlan(PlanDocument? document, string path, List<FieldError> errors)
    {
        if (document is null)
            return null;
        if (string.IsNullOrWhiteSpace(document.Name) || document.Name.Length > 100)
            errors.Add(new($"{path}.name", "A plan needs a name of 1-100 characters."));
        if (document.BaseSeats is null or < 1)
            errors.Add(new($"{path}.baseSeats", "Must be at least 1."));
        if (document.MaxSeats is null || document.MaxSeats < (document.BaseSeats ?? 1))
            errors.Add(new($"{path}.maxSeats", "Must be at least baseSeats."));
        var name = document.Name?.Trim() ?? "";
        var message = document.ChangePlanMessage
            ?? $"The {name} plan allows at most {document.MaxSeats} seats. To grow beyond that, change to a plan that fits your organization.";
        if (!IsText(message))
            errors.Add(new($"{path}.changePlanMessage", TextRule));
        return new PlanPolicy(name, document.BaseSeats ?? 1, document.MaxSeats ?? 1, message);
    }

    private static ExpiryPolicy BuildExpiry(ExpiryDocument? document, string path, List<FieldError> errors)
    {
        if (document is null)
            return ExpiryPolicy.Default;
        if (document.GraceDays is < 0 or > 365)
            errors.Add(new($"{path}.graceDays", "Must be between 0 and 365."));
        if (document.WarnDays is < 0 or > 365)
            errors.Add(new($"{path}.warnDays", "Must be between 0 and 365."));
        if (document.RenewDaysBefore is < 1 or > 365)
            errors.Add(new($"{path}.renewDaysBefore", "Must be between 1 and 365."));
        var standard = ExpiryPolicy.Default;
        return new ExpiryPolicy(document.GraceDays ?? standard.GraceDays, document.WarnDays ?? standard.WarnDays, document.RenewDaysBefore ?? standard.RenewDaysBefore);
    }

    private static ConnectionPolicy BuildConnections(ConnectionsDocument? document, string path, List<FieldError> errors)
    {
        if (document is null)
            return ConnectionPolicy.Default;
        var action = document.OnWindowClose switch
        {
            null or "end" => WindowCloseAction.End,
            "warn" => WindowCloseAction.Warn,
            _ => (WindowCloseAction?)null,
        };
        if (action is null)
            errors.Add(new($"{path}.onWindowClose", "Must be one of: end, warn."));
        return new ConnectionPolicy(document.Required ?? false, action ?? WindowCloseAction.End);
    }

    private static StopPolicy BuildStops(StopsDocument? document, string path, List<FieldError> errors)
    {
        if (document?.CoolDownMinutes is not { } minutes)
            return StopPolicy.Default;
        if (minutes is < 0 or > StopPolicy.MaxCoolDownMinutes)
            errors.Add(new($"{path}.coolDownMinutes", $"Must be between 0 (none) and {StopPolicy.MaxCoolDownMinutes} minutes (a week)."));
        return new StopPolicy(Math.Clamp(minutes, 0, StopPolicy.MaxCoolDownMinutes));
    }

    private static WaitingLinePolicy BuildWaitingLine(WaitingLineDocument? document, string path, List<FieldError> errors)
    {
        var standard = WaitingLinePolicy.Default;
        if (document is null)
            return standard;
        var length = document.MaxLength ?? standard.MaxLength;
        if (length is < 1 or > WaitingLinePolicy.MaxMaxLength)
            errors.Add(new($"{path}.maxLength", $"Must be between 1 and {WaitingLinePolicy.MaxMaxLength}."));
        var wait = document.MaxWaitSeconds ?? (int)standard.MaxWait.TotalSeconds;
        if (wait is < 10 or > WaitingLinePolicy.MaxMaxWaitSeconds)
            errors.Add(new($"{path}.maxWaitSeconds", $"Must be between 10 and {WaitingLinePolicy.MaxMaxWaitSeconds} seconds (a day)."));
        var offer = document.OfferSeconds ?? (int)standard.OfferHold.TotalSeconds;
        if (offer is < WaitingLinePolicy.MinOfferSeconds or > WaitingLinePolicy.MaxOfferSeconds)
            errors.Add(new($"{path}.offerSeconds", $"Must be between {WaitingLinePolicy.MinOfferSeconds} and {WaitingLinePolicy.MaxOfferSeconds} seconds."));
        return new WaitingLinePolicy(document.Enabled ?? standard.Enabled,
            Math.Clamp(length, 1, WaitingLinePolicy.MaxMaxLength),
            TimeSpan.FromSeconds(Math.Clamp(wait, 10, WaitingLinePolicy.MaxMaxWaitSeconds)),
            TimeSpan.FromSeconds(Math.Clamp(offer, WaitingLinePolicy.MinOfferSeconds, WaitingLinePolicy.MaxOfferSeconds)));
    }

    /// <summary>
    /// The checks that need the license's seat count as well as its policy: reservations fit in
    /// the seats, and the seats stay within the plan. A plan breach has its own code, because the
    /// answer to it is "change plan", not "fix the request".
    /// </summary>
    public static RequestError? CheckSeats(LicensePolicy policy, int seats)
    {
        if (policy.Plan is { } plan)
        {
            if (seats > plan.MaxSeats)
                return new RequestError(Codes.PlanLimitReached, "seats", plan.ChangePlanMessage);
            if (seats < plan.BaseSeats)
                return new RequestError(Codes.PlanLimitReached, "seats", $"The {plan.Name} plan includes {plan.BaseSeats} seats; a license on it has at least that many.");
        }
        var reserved = policy.Reservations.Sum(r => r.Seats);
        if (reserved > seats)
            return new RequestError(Codes.InvalidRequest, "policy.reservations", $"The reservations hold {reserved} seats, more than the license's {seats}.");
        return null;
    }
}
