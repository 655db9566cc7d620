using System.CommandLine;
using Leasehold.Cli.Output;
using Leasehold.Core.Installations;

namespace Leasehold.Cli.Commands;

/// <summary>
/// <c>leasehold license-file verify FILE --keys JWKS</c>: offline, with the rules an installation
/// applies (signature, key, product, refresh-by and end dates); needs no server or key.
/// </summary>
internal static class LicenseFileCommands
{
    public static Command Build(CommandRunner runner)
    {
        var command = new Command("license-file", "Signed license files of installations (docs/api.md, Signing keys).");
        var file = new Argument<string>("file") { Description = "A license file" };
        var keys = new Option<string>("--keys") { Description = "The issuer's public keys, as `signing-keys export` writes them", Required = true };
        var product = new Option<string?>("--product") { Description = "Also require the file to license this product" };
        var at = new Option<DateTimeOffset?>("--at") { Description = "Judge it at this time instead of now, e.g. 2026-03-02T10:00:00Z" };
        var verify = new Command("verify", "Check a license file offline: signed by one of the keys, for the product, not expired.") { file, keys, product, at };
        runner.Action(verify, async run =>
        {
            var trusted = ReadKeys(run.Value(keys));
            if (!File.Exists(run.Value(file)))
                throw new CliException(ExitCodes.Usage, $"There is no file {run.Value(file)}.");
            var reading = LicenseFiles.Read(await File.ReadAllTextAsync(run.Value(file), run.Ct), trusted);
            var (accepted, refused) = reading switch
            {
                LicenseFileReading.Signed signed => LicenseFileCheck.Judge(signed.File, run.Value(product), InstallationMemory.None, run.Value(at) ?? run.Clock.GetUtcNow()),
                LicenseFileReading.Refused r => (null, r),
                _ => throw new InvalidOperationException("Unknown reading."),
            };
            if (run.Json)
            {
                run.Out.WriteJson(accepted is { } a
                    ? new { valid = true, code = (string?)null, reason = (string?)null, file = (object?)a.File, usableUntil = (DateTimeOffset?)a.UsableUntil }
                    : new { valid = false, code = (string?)refused!.Code, reason = (string?)refused.Reason, file = (object?)null, usableUntil = (DateTimeOffset?)null });
            }
            else if (accepted is { File: var f })
            {
                run.Out.Say($"{run.Value(file)} is a valid license file, signed by key {f.KeyId}.");
                var table = Render.Table("License", "Product", "Installation", "Seats", "Serial", "Ends", "Refresh by");
                table.AddCells(f.LicenseId, f.Product, f.InstallationId, f.Seats, f.Serial, f.EndsAt, f.RefreshBy);
                run.Out.Write(table);
            }
            else
                run.Out.Say($"{run.Value(file)} is refused ({refused!.Code}): {refused.Reason}");
            return accepted is null ? ExitCodes.Refused : ExitCodes.Ok;
        });
        command.Subcommands.Add(verify);
        return command;
    }

    private static IReadOnlyList<SigningJwk> ReadKeys(string path)
    {
        try
        {
            return SigningJwk.ReadSet(File.ReadAllText(path));
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            throw new CliException(ExitCodes.Usage, $"{path} is not a key set: expected JSON with \"keys\", as `leasehold signing-keys export` writes it.");
        }
    }
}
