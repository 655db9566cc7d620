using Leasehold.Server;

namespace Leasehold.Server.Tests.Auth;

public sealed class IdTests
{
    [Fact]
    public void TimeOrderedIds_SortByCreationTime_AsText()
    {
        var start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 2000).Select(i => Ids.NewTimeOrdered("ses", start.AddMilliseconds(i * 37))).ToList();

        ids.ShouldBe(ids.Order(StringComparer.Ordinal).ToList());
        ids.ShouldAllBe(id => id.Length == "ses_".Length + 26 && id.StartsWith("ses_"));
        ids.Distinct().Count().ShouldBe(ids.Count);
    }

    [Fact]
    public void TimeOrderedIds_MadeInOneMillisecond_StillDiffer()
    {
        var at = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 1000).Select(_ => Ids.NewTimeOrdered("ses", at)).ToList();

        ids.Distinct().Count().ShouldBe(1000);
        ids.Select(id => id[..14]).Distinct().ShouldHaveSingleItem(); // 48 bits of time: the first 10 characters after the prefix
    }
}
