using System.Text.Json;

namespace Leasehold.Server.Storage;

/// <summary>The JSON form of documents stored in a column (policies): the same camelCase as the API.</summary>
internal static class StoredJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
