namespace Leasehold.Core.Sessions;

/// <summary>A decision's answer together with the changes that make it true.</summary>
public sealed record Decided<T>(T Result, Changes Changes);
