using System.Net;
using System.Text.RegularExpressions;

namespace Leasehold.Server.Tests.Security;

/// <summary>The console's sign-in as a browser does it (the form, its anti-forgery token): the cookie the server sets.</summary>
internal static partial class ConsoleCookie
{
    /// <param name="http">A client that keeps cookies and does not follow redirects.</param>
    /// <returns>The <c>Set-Cookie</c> line of the console's cookie, with its attributes.</returns>
    public static async Task<string> SignInAsync(HttpClient http, string key, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "/console/sign-in");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/console/sign-in");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            get.Headers.Add(name, value);
            post.Headers.Add(name, value);
        }
        using var form = await http.SendAsync(get);
        var token = VerificationToken().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        token.ShouldNotBeEmpty();
        post.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Form.Key"] = key,
        });
        using var signedIn = await http.SendAsync(post);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        return signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("leasehold-console=", StringComparison.Ordinal));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex VerificationToken();
}
