using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leasehold.Server.Hosting;

/// <summary>The API's JSON rules, for the places that read a document by hand: unknown fields, numbers as strings and repeated fields are errors.</summary>
internal static class StrictJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
        return options;
    }
}
