using System;

namespace DaneTools.Core.Dnssec;

/// <summary>
/// 32-bit RRSIG times compared with RFC 1982 serial number arithmetic (RFC 4034 section 3.1.5).
/// </summary>
internal static class SerialTime
{
    private static readonly DateTime s_epoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };

    /// <summary>Returns the time as seconds since 1970 modulo 2^32.</summary>
    public static uint FromDateTime(DateTime utc) => unchecked((uint)(long)Math.Floor((ToUtc(utc) - s_epoch).TotalSeconds));

    /// <summary>RFC 1982 3.2: a &lt; b when (a &lt; b and b - a &lt; 2^31) or (a &gt; b and a - b &gt; 2^31).</summary>
    public static bool LessThan(uint a, uint b) => a != b && unchecked(b - a) < 0x80000000u;

    /// <summary>Returns the instant of a 32-bit time nearest to a reference instant (the value is taken modulo 2^32).</summary>
    public static DateTime ToDateTime(uint value, DateTime reference)
    {
        long refSeconds = (long)Math.Floor((ToUtc(reference) - s_epoch).TotalSeconds);
        long delta = unchecked((int)(value - (uint)refSeconds)); // signed distance in serial space
        return s_epoch.AddSeconds(refSeconds + delta);
    }
}
