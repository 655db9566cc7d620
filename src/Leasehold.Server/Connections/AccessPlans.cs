using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Access;
using Leasehold.Server.Hosting;

namespace Leasehold.Server.Connections;

/// <summary>Reads a connection's access plan as a request gives it: a preset name or a plan document.</summary>
internal static class AccessPlans
{
    public static AccessPlan Read(JsonElement? element, List<FieldError> errors)
    {
        switch (element)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                errors.Add(new("accessPlan", $"Required: one of {string.Join(", ", AccessPlanDocument.Presets)}, or a plan document."));
                return AccessPlan.Always;
            case { ValueKind: JsonValueKind.String } preset:
                if (AccessPlanDocument.Preset(preset.GetString()!) is { } document)
                    return AccessPlanValidation.Build(document, "accessPlan", errors);
                errors.Add(new("accessPlan", $"Unknown preset. Use one of {string.Join(", ", AccessPlanDocument.Presets)}, or a plan document."));
                return AccessPlan.Always;
            case { ValueKind: JsonValueKind.Object } custom:
                try
                {
                    return AccessPlanValidation.Build(custom.Deserialize<AccessPlanDocument>(StrictJson.Options), "accessPlan", errors);
                }
                catch (JsonException e)
                {
                    errors.Add(new("accessPlan" + (e.Path is { Length: > 1 } path ? path[1..] : ""), "Not a valid access plan document."));
                    return AccessPlan.Always;
                }
            default:
                errors.Add(new("accessPlan", "Must be a preset name or a plan document."));
                return AccessPlan.Always;
        }
    }
}
