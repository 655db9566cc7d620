using CsCheck;
using Leasehold.Core.Policies;
using Leasehold.Core.Queue;
using Leasehold.Core.Sessions;
using Leasehold.Core.Tests.Support;

namespace Leasehold.Core.Tests.Queue;

/// <summary>
/// Random joins, checkouts, sign-offs, seat raises, time passing (offers lapse, entries and sessions expire), takes and
/// leaves: the seat limit holds counting held offers, and nobody who joined later gets a seat before an earlier one who fits.
/// </summary>
public class WaitingLinePropertyTests
{
    private const int Users = 12;

    private static readonly Gen<(int Kind, int A, int B)[]> Steps = Gen.Select(Gen.Int[0, 8], Gen.Int[0, 1000], Gen.Int[0, 1000]).Array[1, 70];

    [Fact]
    public void TheLimitHolds_AndTheLineIsServedInJoinOrder() =>
        Gen.Select(Gen.Int[1, 4], Steps).Sample((seats, steps) =>
        {
            var world = new LineWorld(seats, LineWorld.Policy(WaitingLinePolicy.Default with { Enabled = true, MaxLength = 8, OfferHold = TimeSpan.FromSeconds(30) }));
            foreach (var step in steps)
            {
                var before = world.Written.Count;
                var decided = Run(world, step);
                var now = world.Now;
                CountedSeats(world).ShouldBeLessThanOrEqualTo(world.Ledger.License.Seats, $"limit after {step}");
                if (!decided)
                    continue;

                var waiting = world.Open.Where(e => e.State == WaitState.Waiting).ToList();
                var firstWaiting = waiting.Count == 0 ? long.MaxValue : waiting.Min(e => e.Sequence);
                foreach (var changes in world.Written.Skip(before))
                {
                    // Offers made by this step went to entries ahead of everyone still waiting.
                    foreach (var offered in changes.Waits.Where(e => e.State == WaitState.Offered && e.OfferedAt == now))
                        offered.Sequence.ShouldBeLessThan(firstWaiting, $"{offered.User} offered past an earlier entry at {step}");
                    // Nobody came in past the line: a new session while an entry still waits is an entry's own (its take).
                    foreach (var admitted in changes.Sessions.Where(s => s.IsActive && s.StartedAt == now))
                    {
                        if (waiting.Count > 0)
                            world.Written.Skip(before).SelectMany(c => c.Waits).ShouldContain(e => e.SessionId == admitted.Id, $"{admitted.User} passed the line at {step}");
                    }
                }

                // No seat idles while the head of the line fits it.
                if (waiting.Count > 0)
                {
                    var head = waiting.MinBy(e => e.Sequence)!;
                    var free = world.Ledger.License.Seats - CountedSeats(world);
                    head.Seats.ShouldBeGreaterThan(free, $"{head.User} fits {free} free seats yet waits, at {step}");
                }
            }
        }, iter: 400);

    [Fact]
    public void WithReservations_TheLimitAndEachPoolHold_AndEachKindIsServedInJoinOrder() =>
        Gen.Select(Gen.Int[2, 5], Gen.Int[1, 2], Steps).Sample((seats, reserved, steps) =>
        {
            var finance = GivenPolicy.Reserve("finance", reserved, "u0", "u1", "u2", "u3");
            var policy = LineWorld.Policy(WaitingLinePolicy.Default with { Enabled = true, MaxLength = 8, OfferHold = TimeSpan.FromSeconds(30) },
                [finance], null, Given.ClientType("desktop"), Given.ClientType("integration", weight: 2));
            var world = new LineWorld(seats, policy);
            foreach (var step in steps)
            {
                var before = world.Written.Count;
                var decided = Run(world, step);
                var now = world.Now;
                var counted = Counted(world);
                SeatCount.InUse(counted).ShouldBeLessThanOrEqualTo(world.Ledger.License.Seats, $"limit after {step}");
                var overflow = SeatCount.Holders(counted).Where(h => !finance.Users.Contains(h.User)).Sum(h => h.Seats)
                    + Math.Max(0, SeatCount.Holders(counted).Where(h => finance.Users.Contains(h.User)).Sum(h => h.Seats) - reserved);
                overflow.ShouldBeLessThanOrEqualTo(world.Ledger.License.Seats - reserved, $"general pool after {step}");
                if (!decided)
                    continue;

                foreach (var member in new[] { true, false })
                {
                    var waiting = world.Open.Where(e => e.State == WaitState.Waiting && finance.Users.Contains(e.User) == member).ToList();
                    var firstWaiting = waiting.Count == 0 ? long.MaxValue : waiting.Min(e => e.Sequence);
                    foreach (var offered in world.Written.Skip(before).SelectMany(c => c.Waits)
                                 .Where(e => e.State == WaitState.Offered && e.OfferedAt == now && finance.Users.Contains(e.User) == member))
                        offered.Sequence.ShouldBeLessThan(firstWaiting, $"{offered.User} offered past an earlier entry of its kind at {step}");
                }
            }
        }, iter: 400);

    /// <summary>Runs one step; false when it only moved time (no decision ran).</summary>
    private static bool Run(LineWorld world, (int Kind, int A, int B) step)
    {
        var user = "u" + (step.A % Users);
        switch (step.Kind)
        {
            case 0:
            case 1:
                world.Wait(user, client: step.B % 4 == 0 ? "integration" : "desktop", upTo: TimeSpan.FromSeconds(60 + step.B));
                return true;
            case 2:
                world.Checkout(user, client: step.B % 5 == 0 ? "integration" : "desktop");
                return true;
            case 3:
                var live = SeatDecision.Sweep(world.Live, world.Now).Live;
                if (live.Count == 0)
                    return false;
                world.SignOff(live.ElementAt(step.B % live.Count).Id);
                return true;
            case 4:
                if (world.Ledger.License.Seats >= 8)
                    return false;
                world.SetSeats(world.Ledger.License.Seats + 1);
                return true;
            case 5:
                world.Pass(TimeSpan.FromSeconds(1 + step.B % 120));
                if (step.A % 3 == 0)
                    return false;
                world.HeartbeatAll();
                return true;
            case 6:
                var offered = world.Open.Where(e => e.State == WaitState.Offered).ToList();
                if (offered.Count == 0)
                    return false;
                var entry = offered[step.B % offered.Count];
                world.Apply(SeatDecision.Checkout(world.Ledger, entry.Request with { WaitId = entry.Id }, world.Now));
                return true;
            case 7:
                var open = world.Open.ToList();
                if (open.Count == 0)
                    return false;
                world.Apply(WaitingLine.Leave(world.Ledger, open[step.B % open.Count].Id, world.Now));
                return true;
            default:
                world.Advance();
                return true;
        }
    }

    /// <summary>What holds seats now: live sessions and offers still held (whether or not a decision has swept them yet).</summary>
    private static List<Session> Counted(LineWorld world) =>
    [
        .. SeatDecision.Sweep(world.Live, world.Now).Live,
        .. world.Open.Where(e => e.State == WaitState.Offered && e.DueEnd(world.Now) is null).Select(e => e.AsHeldSeat()),
    ];

    private static int CountedSeats(LineWorld world) => SeatCount.InUse(Counted(world));
}
