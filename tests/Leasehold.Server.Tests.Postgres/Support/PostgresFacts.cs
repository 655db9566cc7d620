// The test files this project shares with the SQLite project say [Fact] and [Theory]. These
// types, in the namespaces that enclose them, are found before xunit's own (C# looks in enclosing
// namespaces before the global usings), so every shared test skips when PostgreSQL is absent on a
// developer's machine (never on CI: see PostgresAvailability) instead of failing at start-up.
#pragma warning disable CA1813 // xunit needs these unsealed-looking attribute hierarchies; they are sealed here

namespace Leasehold.Server.Tests
{
    using Leasehold.Server.Tests.Support;

    public sealed class FactAttribute : Xunit.FactAttribute
    {
        public FactAttribute() => Skip = PostgresAvailability.SkipReason;
    }

    public sealed class TheoryAttribute : Xunit.TheoryAttribute
    {
        public TheoryAttribute() => Skip = PostgresAvailability.SkipReason;
    }
}

namespace Leasehold.Scenarios.Tests
{
    using Leasehold.Server.Tests.Support;

    public sealed class FactAttribute : Xunit.FactAttribute
    {
        public FactAttribute() => Skip = PostgresAvailability.SkipReason;
    }

    public sealed class TheoryAttribute : Xunit.TheoryAttribute
    {
        public TheoryAttribute() => Skip = PostgresAvailability.SkipReason;
    }
}
