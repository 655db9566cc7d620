using System.CommandLine;
using System.Text.Json;
using Leasehold.Cli.Output;

namespace Leasehold.Cli.Commands;

/// <summary><c>leasehold signing-keys list|rotate|export</c>: the keys license files are signed with.</summary>
internal static class SigningKeyCommands
{
    public static Command Build(CommandRunner runner)
    {
        var keys = new Command("signing-keys", "The keys the server signs license files with (operator).");

        var list = new Command("list", "List the signing keys: which one signs now, when each was made and retired.");
        runner.Action(list, async run =>
        {
            var all = await run.CallAsync("Reading signing keys", (a, ct) => a.ListSigningKeysAsync(ct));
            return run.Show(all, () =>
            {
                var table = Render.Table("Id", "Signing", "Created", "Retired");
                foreach (var k in all)
                    table.AddCells(k.Id, k.Signing ? "yes" : "no", k.CreatedAt, k.RetiredAt);
                run.Out.Write(table);
            });
        });

        var rotate = new Command("rotate", "A new key signs from now on; the old one is retired and still published, so its files keep verifying.");
        runner.Action(rotate, async run =>
        {
            var key = await run.CallAsync("Rotating the signing key", (a, ct) => a.RotateSigningKeyAsync(ct));
            return run.Show(key, () => run.Out.Say($"Key {key.Id} signs from now on; the keys before it are retired and still published."));
        });

        var output = new Option<string?>("--out") { Description = "Write the key set to this file (default: print it)" };
        var export = new Command("export", "The public keys as a JSON Web Key Set, for an installation to pin (license-file verify --keys).") { output };
        runner.Action(export, async run =>
        {
            var jwks = await run.CallAsync("Reading the public keys", (a, ct) => a.GetJwksAsync(ct));
            var text = JsonSerializer.Serialize(jwks, new JsonSerializerOptions { WriteIndented = true }) + "\n";
            if (run.Value(output) is { } path)
            {
                await File.WriteAllTextAsync(path, text, run.Ct);
                run.Out.Say($"Wrote {jwks.GetProperty("keys").GetArrayLength()} public key(s) to {path}.");
            }
            else
                run.Out.Profile.Out.Writer.Write(text);
            return ExitCodes.Ok;
        });

        keys.Subcommands.Add(list);
        keys.Subcommands.Add(rotate);
        keys.Subcommands.Add(export);
        return keys;
    }
}
