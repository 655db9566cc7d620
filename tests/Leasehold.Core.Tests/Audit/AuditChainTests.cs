using Leasehold.Core.Audit;

namespace Leasehold.Core.Tests.Audit;

/// <summary>The audit trail's hash chain as plain functions: what verifies, and what each kind of tampering looks like.</summary>
public sealed class AuditChainTests
{
    private static List<(AuditLink Link, string Hash)> Chain(int length)
    {
        var chain = new List<(AuditLink, string)>();
        string? previous = null;
        for (var i = 1; i <= length; i++)
        {
            var link = new AuditLink($"aud_{i}", i, 1_780_000_000_000 + i, "key_op", "ops", "operator", "ten_a", "license.seats_changed",
                "license", "lic_1", $$"""{"seats": {{i}}}""", $$"""{"seats":{{i + 1}}}""", previous);
            var hash = AuditChain.Hash(link);
            chain.Add((link, hash));
            previous = hash;
        }
        return chain;
    }

    [Fact]
    public void Verify_AnIntactChain_HoldsAndHashesIgnoreJsonLayout()
    {
        var chain = Chain(5);
        var relaid = chain.Select(c => (c.Link with { Before = c.Link.Before!.Replace(" ", "\n  ", StringComparison.Ordinal) }, c.Hash));

        AuditChain.Verify(chain).ShouldBeNull();
        AuditChain.Verify(relaid).ShouldBeNull();
        chain[0].Hash.Length.ShouldBe(64);
    }

    [Fact]
    public void Verify_FindsAChangedRecord()
    {
        var chain = Chain(5);
        chain[2] = (chain[2].Link with { After = """{"seats":99}""" }, chain[2].Hash);

        AuditChain.Verify(chain)!.RecordId.ShouldBe("aud_3");
    }

    [Fact]
    public void Verify_FindsADeletedRecord_AtTheOneAfterIt()
    {
        var chain = Chain(5);
        chain.RemoveAt(1);

        var broken = AuditChain.Verify(chain)!;
        broken.RecordId.ShouldBe("aud_3");
        broken.Reason.ShouldContain("missing");
    }

    [Fact]
    public void Verify_FindsAnInsertedRecord_EvenWithItsOwnHashRight()
    {
        var chain = Chain(3);
        var forged = chain[1].Link with { Id = "aud_forged", Sequence = 3, PreviousHash = chain[1].Hash, After = """{"seats":50}""" };
        var renumbered = chain[2].Link with { Sequence = 4 };
        List<(AuditLink, string)> tampered = [chain[0], chain[1], (forged, AuditChain.Hash(forged)), (renumbered, chain[2].Hash)];

        AuditChain.Verify(tampered)!.RecordId.ShouldBe("aud_3");
    }
}
