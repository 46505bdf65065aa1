using System;
using System.Collections.Generic;
using System.Linq;

namespace DaneTools.Core.Dns;

/// <summary>
/// NSEC/NSEC3 type bit maps (RFC 4034 section 4.1.2): a sequence of windows, each one octet window number,
/// one octet bitmap length (1..32) and the bitmap, where bit 0 of octet 0 (most significant) is type
/// window*256+0. Windows appear in increasing order; trailing zero octets are omitted.
/// </summary>
internal static class TypeBitmap
{
    public static byte[] Encode(IEnumerable<DnsRecordType> types)
    {
        var output = new List<byte>();
        foreach (var window in types.Select(t => (ushort)t).Distinct().OrderBy(t => t).GroupBy(t => t >> 8))
        {
            var bitmap = new byte[32];
            int max = 0;
            foreach (var t in window)
            {
                int low = t & 0xFF;
                bitmap[low >> 3] |= (byte)(0x80 >> (low & 7));
                max = Math.Max(max, (low >> 3) + 1);
            }
            output.Add((byte)window.Key);
            output.Add((byte)max);
            output.AddRange(bitmap.Take(max));
        }
        return output.ToArray();
    }

    /// <summary>Decodes a bitmap from <paramref name="offset"/> to the end of <paramref name="data"/>.</summary>
    /// <exception cref="FormatException">A window out of order, a bad length or truncated data.</exception>
    public static List<DnsRecordType> Decode(byte[] data, int offset)
    {
        var types = new List<DnsRecordType>();
        int lastWindow = -1;
        while (offset < data.Length)
        {
            if (offset + 2 > data.Length) throw new FormatException("Truncated type bit map.");
            int window = data[offset], len = data[offset + 1];
            if (window <= lastWindow) throw new FormatException("Type bit map windows out of order.");
            if (len < 1 || len > 32 || offset + 2 + len > data.Length) throw new FormatException("Invalid type bit map length.");
            for (int i = 0; i < len; i++)
            {
                byte b = data[offset + 2 + i];
                for (int bit = 0; bit < 8; bit++)
                {
                    if ((b & (0x80 >> bit)) != 0) types.Add((DnsRecordType)((window << 8) | (i << 3) | bit));
                }
            }
            lastWindow = window;
            offset += 2 + len;
        }
        return types;
    }
}
