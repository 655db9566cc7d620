namespace Leasehold.Cli;

/// <summary>What <c>leasehold</c> exits with (documented in docs/cli.md): scripts branch on these.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>Something else went wrong (a server error, say): the message says what.</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong, or the server URL or key is missing.</summary>
    public const int Usage = 2;

    /// <summary>The server (or the offline policy check) refused the request as invalid or in conflict: 400, 409, 410, 415.</summary>
    public const int Refused = 3;

    /// <summary>No such id for this key (404).</summary>
    public const int NotFound = 4;

    /// <summary>The key is missing, unknown or revoked (401), or its role may not do this (403).</summary>
    public const int NotAllowed = 5;

    /// <summary>The server could not be reached, or was unavailable (no answer, 502, 503, 504).</summary>
    public const int Unavailable = 6;
}
