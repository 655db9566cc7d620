namespace Leasehold.Client;

/// <summary>
/// Where a waiting checkout stands in the license's waiting line, as <see cref="LeaseholdClient.CheckoutAsync(CheckoutRequest, TimeSpan, IProgress{QueuePosition}?, CancellationToken)"/>
/// reports it: when it joins, at every change the server pushes, and when a seat is held for it.
/// </summary>
/// <param name="WaitId">The place in line (<c>wait_...</c>), as admins see it in the list of who waits.</param>
/// <param name="Position">1 + the number of waiting checkouts ahead of this one (1: next in line); 0 once a seat is held for it (<see cref="Status"/> <c>offered</c>).</param>
/// <param name="EstimatedWait">How long the wait may still be, from how fast seats freed on the license lately; null when the server cannot tell (nothing ended lately).</param>
/// <param name="WaitUntil">When the wait ends unless a seat comes first (the wait asked for, cut to the license's longest wait), by the server's clock.</param>
/// <param name="Status"><c>waiting</c>, or <c>offered</c>: a seat is held for this checkout and the SDK is taking it.</param>
public sealed record QueuePosition(string WaitId, int Position, TimeSpan? EstimatedWait, DateTimeOffset WaitUntil, string Status)
{
    /// <summary>The <see cref="Status"/> of a checkout still in line.</summary>
    public const string Waiting = "waiting";

    /// <summary>The <see cref="Status"/> once a seat is held for the checkout (it is being taken; the lease follows).</summary>
    public const string Offered = "offered";

    /// <summary>True once a seat is held for the checkout (<see cref="Status"/> is <c>offered</c>).</summary>
    public bool IsOffered => Status == Offered;
}
