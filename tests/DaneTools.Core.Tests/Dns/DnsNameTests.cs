using System;
using System.Linq;
using DaneTools.Core.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Dns;

public class DnsNameTests
{
    [Theory]
    [InlineData("www.example.com.", 3, "www.example.com.")]
    [InlineData("www.example.com", 3, "www.example.com.")]
    [InlineData(".", 0, ".")]
    [InlineData("a\\.b.example.", 2, "a\\.b.example.")]
    [InlineData("\\065bc.example.", 2, "Abc.example.")]
    [InlineData("\\000.example.", 2, "\\000.example.")]
    public void Parse_PresentationForm_LabelsAndText(string text, int labels, string expected)
    {
        var name = DnsName.Parse(text);
        Assert.Equal(labels, name.LabelCount);
        Assert.Equal(expected, name.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b.")]
    [InlineData(".a.")]
    [InlineData("a\\25.b")]
    [InlineData("a\\256.b")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123.example.")]
    public void Parse_Invalid_Throws(string text) => Assert.Throws<FormatException>(() => DnsName.Parse(text));

    [Fact]
    public void Parse_NameOver255Octets_Throws()
    {
        var label = new string('a', 63);
        Assert.Throws<FormatException>(() => DnsName.Parse(string.Join(".", label, label, label, label) + "."));
        Assert.Equal(255, DnsName.Parse(string.Join(".", label, label, label, new string('a', 61)) + ".").WireLength);
    }

    [Fact]
    public void Equals_DifferentAsciiCase_EqualWithSameHash()
    {
        var a = DnsName.Parse("WWW.Example.COM.");
        var b = DnsName.Parse("www.example.com");
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal("WWW.Example.COM.", a.ToString());
    }

    [Fact]
    public void ToCanonicalWire_MixedCase_LowerCasesAsciiOnly()
    {
        var name = DnsName.Parse("Ex\\200Am.COM.");
        Assert.Equal("05" + "6578C8616D" + "03636F6D00", Hex.Encode(name.ToCanonicalWire()));
        Assert.Equal("05" + "4578C8416D" + "03434F4D00", Hex.Encode(name.ToWire()));
    }

    [Fact]
    public void Parent_And_IsSubdomainOf_Work()
    {
        var name = DnsName.Parse("a.b.Example.");
        Assert.Equal(DnsName.Parse("b.example."), name.Parent);
        Assert.True(name.IsSubdomainOf(DnsName.Parse("EXAMPLE.")));
        Assert.True(name.IsSubdomainOf(name));
        Assert.True(name.IsSubdomainOf(DnsName.Root));
        Assert.False(name.IsSubdomainOf(DnsName.Parse("xb.example.")));
        Assert.False(DnsName.Parse("example.").IsSubdomainOf(name));
        Assert.Throws<InvalidOperationException>(() => DnsName.Root.Parent);
        Assert.Equal(DnsName.Parse("example."), name.GetAncestor(1));
    }

    [Fact]
    public void CompareTo_Rfc4034Section61Example_CanonicalOrder()
    {
        // RFC 4034 section 6.1, from rfc4034.json.
        var vectors = ConformanceData.RfcVectors("rfc4034.json").GetProperty("cases").EnumerateArray()
            .Single(c => c.GetProperty("id").GetString() == "rfc4034-6.1-canonical-name-order");
        var expected = vectors.GetProperty("expected").GetProperty("canonical_order").EnumerateArray().Select(e => DnsName.Parse(e.GetString()!)).ToList();
        var shuffled = expected.AsEnumerable().Reverse().OrderBy(n => n.ToString().Length % 3).ToList();
        shuffled.Sort();
        Assert.Equal(expected.Select(n => n.ToString()), shuffled.Select(n => n.ToString()));
        for (int i = 1; i < expected.Count; i++) Assert.True(expected[i - 1].CompareTo(expected[i]) < 0, $"{expected[i - 1]} < {expected[i]}");
    }

    [Fact]
    public void IsWildcard_StarLabel_True()
    {
        Assert.True(DnsName.Parse("*.w.example.").IsWildcard);
        Assert.False(DnsName.Parse("\\*x.w.example.").IsWildcard);
        Assert.Equal("*.w.example.", DnsName.Parse("w.example.").Prepend("*").ToString());
    }
}
