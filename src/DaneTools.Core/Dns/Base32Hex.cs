using System;
using System.Text;

namespace DaneTools.Core.Dns;

/// <summary>Base32 with the extended hex alphabet, no padding (RFC 4648 section 7), as NSEC3 uses it.</summary>
internal static class Base32Hex
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUV";

    public static string Encode(byte[] data, bool lowerCase = false)
    {
        var sb = new StringBuilder(((data.Length * 8) + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        var s = sb.ToString();
        return lowerCase ? s.ToLowerInvariant() : s;
    }

    public static bool TryDecode(string text, out byte[]? data)
    {
        data = null;
        var trimmed = text.TrimEnd('=');
        var result = new byte[trimmed.Length * 5 / 8];
        int buffer = 0, bits = 0, p = 0;
        foreach (var ch in trimmed)
        {
            int v = ch switch
            {
                >= '0' and <= '9' => ch - '0',
                >= 'A' and <= 'V' => ch - 'A' + 10,
                >= 'a' and <= 'v' => ch - 'a' + 10,
                _ => -1,
            };
            if (v < 0) return false;
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                if (p < result.Length) result[p++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
            buffer &= (1 << bits) - 1;
        }
        // Leftover bits must be zero padding (RFC 4648 section 3.5, canonical encoding).
        if (bits >= 5 || (bits > 0 && buffer != 0)) return false;
        data = result;
        return true;
    }

    public static byte[] Decode(string text) =>
        TryDecode(text, out var d) ? d! : throw new FormatException($"'{text}' is not base32hex.");
}
