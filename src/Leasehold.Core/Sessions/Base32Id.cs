namespace Leasehold.Core.Sessions;

/// <summary>
/// 128 bits as 26 characters of Crockford's base32, most significant first, so text order is number
/// order: the body of a time-ordered id such as a session's (<c>ses_01KB3...</c>). Reading back accepts
/// only the exact text writing gives (upper case, no padding), so a number read from an id writes that id again.
/// </summary>
public static class Base32Id
{
    public const int Length = 26;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string Write(UInt128 value)
    {
        Span<char> text = stackalloc char[Length];
        Write(value, text);
        return new string(text);
    }

    public static void Write(UInt128 value, Span<char> text)
    {
        for (var i = Length - 1; i >= 0; i--)
        {
            text[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
    }

    /// <summary>The number <paramref name="text"/> writes, when it is exactly what <see cref="Write(UInt128)"/> gives for one.</summary>
    public static bool TryRead(ReadOnlySpan<char> text, out UInt128 value)
    {
        value = 0;
        // 26 characters hold 130 bits: the first may only carry the top 3 of the 128.
        if (text.Length != Length || text[0] > '7')
            return false;
        foreach (var c in text)
        {
            var digit = c < 128 ? Digits[c] : -1;
            if (digit < 0)
                return false;
            value = (value << 5) | (uint)digit;
        }
        return true;
    }

    private static readonly sbyte[] Digits = MakeDigits();

    private static sbyte[] MakeDigits()
    {
        var digits = new sbyte[128];
        Array.Fill(digits, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
            digits[Alphabet[i]] = (sbyte)i;
        return digits;
    }
}
