namespace Leasehold.Core;

/// <summary>One thing wrong with an input, and where: <paramref name="Field"/> is the JSON path as the client wrote it.</summary>
public sealed record FieldError(string Field, string Message);
