using System;
using DaneTools.Core.Dnssec;
using Xunit;

namespace DaneTools.Core.Tests.Dnssec;

public class SerialTimeTests
{
    [Theory]
    // RFC 1982 3.2 with SERIAL_BITS = 32.
    [InlineData(1u, 2u, true)]
    [InlineData(2u, 1u, false)]
    [InlineData(5u, 5u, false)]
    [InlineData(0xFFFFFFF0u, 0x10u, true)] // across the wrap
    [InlineData(0x10u, 0xFFFFFFF0u, false)]
    [InlineData(0u, 0x7FFFFFFFu, true)]
    [InlineData(0u, 0x80000001u, false)] // more than 2^31 ahead: "before" wraps round
    public void LessThan_Rfc1982(uint a, uint b, bool expected) => Assert.Equal(expected, SerialTime.LessThan(a, b));

    [Fact]
    public void ToDateTime_ValueAfterWrap_NearestToReference()
    {
        var reference = new DateTime(2106, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        var value = SerialTime.FromDateTime(new DateTime(2107, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(new DateTime(2107, 1, 1, 0, 0, 0, DateTimeKind.Utc), SerialTime.ToDateTime(value, reference));
        Assert.Equal(new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc), SerialTime.ToDateTime(1893456000u, new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
    }
}
