using Leasehold.Server.Licenses;

namespace Leasehold.Server.WebConsole;

/// <summary>A license's plan in words: "Small Business Basic: 3 base + 2 add-on seat(s) (up to 35)", or a dash without a plan.</summary>
internal static class PlanText
{
    public static string Of(PlanResponse? plan) => plan is null
        ? "-"
        : $"{plan.Name}: {plan.BaseSeats} base + {plan.AddOnSeats} add-on seat(s) (up to {plan.MaxSeats})";
}
