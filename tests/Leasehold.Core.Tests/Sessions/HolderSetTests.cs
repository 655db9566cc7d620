using CsCheck;
using Leasehold.Core.Sessions;
using static Leasehold.Core.Tests.Support.Given;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>
/// The kept count of a license's live sessions answers what counting every holder answers, whatever
/// sessions came, changed and went before: the decisions rely on it in place of the count.
/// </summary>
public class HolderSetTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A session with its own seat (key = id) or one shared by a user's sessions, of 0-3 seats, ending some minutes after T0.</summary>
    private static Session Make(int id, int key, int seats, int minutes) =>
        Session(TimeSpan.FromMinutes(minutes), null, "ses_" + id) with
        {
            SeatKey = key == 0 ? "ses_" + id : "u:USER" + key,
            Seats = seats,
            LastHeartbeatAt = T0,
        };

    [Fact]
    public void InUse_HeldBy_and_AnyDue_agree_with_counting_every_holder_after_any_changes()
    {
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 11], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[1, 30]).Array[1, 80].Sample(steps =>
        {
            var kept = new HolderSet();
            var plain = new Dictionary<string, Session>();
            foreach (var (op, id, key, seats, minutes) in steps)
            {
                var session = Make(id, key, seats, minutes);
                if (op < 2)
                {
                    kept.Set(session);
                    plain[session.Id] = session;
                }
                else
                {
                    kept.Remove(session.Id).ShouldBe(plain.Remove(session.Id));
                }
                kept.InUse.ShouldBe(SeatCount.InUse(plain.Values.ToList()));
                kept.Count.ShouldBe(plain.Count);
                foreach (var k in new[] { "u:USER1", "u:USER2", "u:USER3", "ses_" + id, "ses_nobody" })
                    kept.HeldBy(k).ShouldBe(SeatCount.HeldBy(plain.Values.ToList(), k));
                var now = T0.AddMinutes(minutes);
                kept.AnyDue(now).ShouldBe(plain.Values.Any(s => s.Deadline <= now));
            }
        });
    }

    [Fact]
    public void Sweep_of_a_set_with_nobody_due_hands_back_the_set_itself_and_ends_nobody()
    {
        var kept = new HolderSet([Make(1, 0, 1, 10), Make(2, 1, 2, 20)]);

        var (live, ended) = SeatDecision.Sweep(kept, T0.AddMinutes(5));

        live.ShouldBeSameAs(kept);
        ended.ShouldBeEmpty();
        SeatCount.InUse(live).ShouldBe(3);
    }

    [Fact]
    public void Sweep_of_a_set_with_a_holder_past_its_end_ends_it_as_a_list_does()
    {
        var kept = new HolderSet([Make(1, 0, 1, 10), Make(2, 1, 2, 20)]);

        var (live, ended) = SeatDecision.Sweep(kept, T0.AddMinutes(15));

        live.Select(s => s.Id).ShouldBe(["ses_2"]);
        ended.ShouldHaveSingleItem().Id.ShouldBe("ses_1");
        SeatCount.InUse(live).ShouldBe(2);
    }

    [Fact]
    public void A_heartbeat_that_moves_an_end_later_is_seen_once_the_old_end_passes()
    {
        var kept = new HolderSet([Make(1, 0, 1, 10)]);
        kept.Set(Make(1, 0, 1, 10) with { LastHeartbeatAt = T0.AddMinutes(8) }); // now ends at 18

        kept.AnyDue(T0.AddMinutes(12)).ShouldBeFalse("the old end passed, the new one has not");
        kept.AnyDue(T0.AddMinutes(18)).ShouldBeTrue();
    }
}
