namespace Leasehold.Server.Installations;

/// <summary>
/// The server will not start, for a reason its operator can act on (a license file that does not
/// verify, a clock set back): Program prints <see cref="Exception.Message"/> as one line and exits 2.
/// </summary>
internal sealed class StartRefusedException(string code, string reason) : Exception($"{code}: {reason}")
{
    public string Code { get; } = code;
}
