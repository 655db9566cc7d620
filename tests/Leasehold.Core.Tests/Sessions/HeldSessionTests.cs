using CsCheck;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;

namespace Leasehold.Core.Tests.Sessions;

/// <summary>
/// A holder set keeps most live sessions as their bare fields (the id as 128 bits, user and device as UTF-8, ...):
/// whatever session goes in, plain or not, the one that comes back is equal to it, field for field.
/// </summary>
public class HeldSessionTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String[Gen.Char.AlphaNumeric, 0, 40],
        Gen.String,
        Gen.Const("Zoë \U0001F600 ünïcode"),
        Gen.Const("lone \uD800 surrogate"));

    private static readonly Gen<string> Ids = Gen.OneOf(
        Gen.UInt.Array[4].Select(parts => "ses_" + Base32Id.Write(((UInt128)parts[0] << 96) | ((UInt128)parts[1] << 64) | ((UInt128)parts[2] << 32) | parts[3])),
        Gen.Const("ses_1"),
        Gen.Const("ses_" + new string('z', 26)),
        Gen.String[Gen.Char.AlphaNumeric, 1, 30]);

    private static readonly Gen<string?> TokenHashes = Gen.OneOf(
        Gen.Const((string?)null),
        Gen.Byte.Array[32].Select(bytes => (string?)Convert.ToHexStringLower(bytes)),
        Gen.Byte.Array[32].Select(bytes => (string?)Convert.ToHexString(bytes)),
        Gen.String[Gen.Char.AlphaNumeric, 1, 70].Select(s => (string?)s));

    /// <summary>Whole seconds, as policies give (kept as such), or any ticks (kept whole).</summary>
    private static readonly Gen<long> Spans = Gen.OneOf(Gen.Const(0L), Gen.Long[0, 86_400].Select(s => s * TimeSpan.TicksPerSecond), Gen.Long[1, TimeSpan.TicksPerDay]);

    private static readonly Gen<DateTimeOffset> Times = Gen.Long[0, TimeSpan.TicksPerDay * 30].Select(t => T0.AddTicks(t));

    private static readonly Gen<Session> Sessions =
        from id in Ids
        from user in Text
        from device in Text
        from client in Gen.OneOf(Gen.Const("desktop"), Gen.Const("web"), Text)
        from consumption in Gen.Enum<Consumption>()
        from seats in Gen.Int[0, 5]
        from shared in Gen.Bool
        from ttl in Spans
        from idle in Gen.OneOf(Gen.Const((long?)null), Spans.Select(t => (long?)t))
        from started in Times
        from heartbeat in Times
        from activity in Times
        from licenseEnds in Gen.OneOf(Gen.Const((DateTimeOffset?)null), Times.Select(t => (DateTimeOffset?)t))
        from token in TokenHashes
        from named in Gen.Bool
        from version in Gen.Int[1, 9]
        from rare in Gen.Int[0, 5]
        select Make(id, user, device, client, consumption, seats, shared, ttl, idle, started, heartbeat, activity, licenseEnds, token, named, version, rare);

    private static Session Make(string id, string user, string device, string client, Consumption consumption, int seats, bool shared, long ttl,
        long? idle, DateTimeOffset started, DateTimeOffset heartbeat, DateTimeOffset activity, DateTimeOffset? licenseEnds, string? token, bool named,
        int version, int rare)
    {
        var session = new Session
        {
            Id = id,
            TenantId = "ten_1",
            LicenseId = "lic_1",
            User = user,
            Device = device,
            Client = client,
            Consumption = consumption,
            Seats = seats,
            SeatKey = shared ? "u:" + user.ToUpperInvariant() : id,
            Ttl = new TimeSpan(ttl),
            IdleTimeout = idle is { } i ? new TimeSpan(i) : null,
            StartedAt = started,
            LastHeartbeatAt = heartbeat,
            LastActivityAt = activity,
            LicenseEndsAt = licenseEnds,
            TokenHash = token,
            Named = named,
            PolicyVersion = version,
        };
        return rare switch
        {
            1 => session with { ConnectionId = "con_1", Email = "a@example.com" },
            2 => session with { BorrowedUntil = heartbeat.AddDays(3) },
            3 => session with { IdempotencyKey = "key-1" },
            4 => session with { TenantId = "ten_2", LicenseId = "lic_2" },
            _ => session,
        };
    }

    [Fact]
    public void Any_session_set_comes_back_equal_from_Find_and_from_going_over_the_holders()
    {
        Sessions.Sample(session =>
        {
            var kept = new HolderSet(new HolderIndex(), "ten_1", "lic_1");
            kept.Set(session);

            kept.Find(session.Id).ShouldBe(session);
            kept.ShouldHaveSingleItem().ShouldBe(session);
            kept.Holds(session.Id).ShouldBeTrue();
            kept.HeldBy(session.SeatKey).ShouldBe(session.Seats);
        });
    }

    [Fact]
    public void A_heartbeat_replaces_the_state_in_its_place_among_the_holders()
    {
        Sessions.Array[2, 6].Sample(sessions =>
        {
            var distinct = sessions.DistinctBy(s => s.Id).ToArray();
            var kept = new HolderSet(distinct);
            var beat = distinct[0] with { LastHeartbeatAt = distinct[0].LastHeartbeatAt.AddMinutes(1) };

            kept.Set(beat);

            kept.ToArray().ShouldBe([beat, .. distinct[1..]]);
        });
    }

    [Fact]
    public void In_a_shared_index_a_session_is_held_by_one_set_only()
    {
        var index = new HolderIndex();
        var first = new HolderSet(index, "ten_1", "lic_1");
        var second = new HolderSet(index, "ten_1", "lic_2");
        var id = "ses_" + Base32Id.Write(UInt128.MaxValue);
        var session = Make(id, "alice", "pc-1", "desktop", Consumption.Seat, 2, false, TimeSpan.TicksPerMinute, null, T0, T0, T0, null, null, false, 1, 0);

        first.Set(session);
        second.Set(session with { LicenseId = "lic_2" });

        index.OwnerOf(id).ShouldBeSameAs(second);
        first.Holds(id).ShouldBeFalse();
        (first.Count, first.InUse).ShouldBe((0, 0));
        (second.Count, second.InUse).ShouldBe((1, 2));
        second.Find(id)!.LicenseId.ShouldBe("lic_2");
        first.Remove(id).ShouldBeFalse("the other set's session is not this set's to take out");
        second.Remove(id).ShouldBeTrue();
        index.Count.ShouldBe(0);
    }

    [Fact]
    public void Base32_ids_read_back_only_from_the_text_they_write()
    {
        Gen.UInt.Array[4].Sample(parts =>
        {
            var number = ((UInt128)parts[0] << 96) | ((UInt128)parts[1] << 64) | ((UInt128)parts[2] << 32) | parts[3];
            var text = Base32Id.Write(number);

            Base32Id.TryRead(text, out var read).ShouldBeTrue();
            read.ShouldBe(number);
            if (text.Any(char.IsLetter))
                Base32Id.TryRead(text.ToLowerInvariant(), out _).ShouldBeFalse("lower case would write back upper");
        });
        Base32Id.TryRead("8" + new string('0', 25), out _).ShouldBeFalse("more than 128 bits");
        Base32Id.TryRead(new string('0', 25), out _).ShouldBeFalse();
        Base32Id.TryRead(new string('0', 25) + "U", out _).ShouldBeFalse("U is not a digit of Crockford's base32");
    }
}
