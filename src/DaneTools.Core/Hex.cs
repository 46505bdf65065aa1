using System;
using System.Text;

namespace DaneTools.Core;

/// <summary>Hexadecimal encoding helpers shared by the TLSA, DS and NSEC3 code.</summary>
internal static class Hex
{
    private const string Digits = "0123456789ABCDEF";

    public static string Encode(byte[] data)
    {
        var sb = new StringBuilder(data.Length * 2);
        foreach (var b in data) sb.Append(Digits[b >> 4]).Append(Digits[b & 0xF]);
        return sb.ToString();
    }

    public static bool TryDecode(string text, out byte[]? data)
    {
        data = null;
        if (text.Length % 2 != 0) return false;
        var result = new byte[text.Length / 2];
        for (int i = 0; i < result.Length; i++)
        {
            int hi = Nibble(text[2 * i]), lo = Nibble(text[(2 * i) + 1]);
            if (hi < 0 || lo < 0) return false;
            result[i] = (byte)((hi << 4) | lo);
        }
        data = result;
        return true;
    }

    public static byte[] Decode(string text) =>
        TryDecode(text, out var data) ? data! : throw new FormatException($"'{text}' is not hexadecimal.");

    /// <summary>Compares in time independent of where the arrays differ.</summary>
    public static bool FixedTimeEquals(byte[] a, byte[] b)
    {
        if (a.Length != b.Length) return false;
        int diff = 0;
        for (int i = 0; i < a.Length; i++) diff |= a[i] ^ b[i];
        return diff == 0;
    }

    private static int Nibble(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
