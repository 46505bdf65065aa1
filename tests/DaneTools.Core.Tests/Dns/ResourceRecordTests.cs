using System;
using System.Linq;
using DaneTools.Core.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Dns;

public class ResourceRecordTests
{
    // Expected wire RDATA produced by dnspython 2.3.0 (Debian python3-dnspython), an independent implementation:
    // dns.rdata.from_text(IN, type, rdata).to_wire().hex().
    [Theory]
    [InlineData("A", "192.0.2.1", "C0000201")]
    [InlineData("AAAA", "2001:db8::f00:baa9", "20010DB800000000000000000F00BAA9")]
    [InlineData("NS", "NS1.Example.COM.", "034E5331074578616D706C6503434F4D00")]
    [InlineData("CNAME", "Target.Example.net.", "06546172676574074578616D706C65036E657400")]
    [InlineData("DNAME", "Other.Example.", "054F74686572074578616D706C6500")]
    [InlineData("PTR", "Host.Example.com.", "04486F7374074578616D706C6503636F6D00")]
    [InlineData("MX", "10 Mail.Example.com.", "000A044D61696C074578616D706C6503636F6D00")]
    [InlineData("SOA", "NS1.Example. Bugs.x.W.example. 2024010101 3600 300 3600000 3600", "034E5331074578616D706C6500044275677301780157076578616D706C650078A3F17500000E100000012C0036EE8000000E10")]
    [InlineData("TXT", "\"v=spf1 -all\" \"second \\\"quoted\\\" part\\059 \\255\"", "0B763D73706631202D616C6C177365636F6E64202271756F7465642220706172743B20FF")]
    [InlineData("SRV", "0 5 25 Mail.Example.com.", "000000050019044D61696C074578616D706C6503636F6D00")]
    [InlineData("CAA", "0 issue \"letsencrypt.org\"", "000569737375656C657473656E63727970742E6F7267")]
    [InlineData("TLSA", "3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6", "0301010C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6")]
    [InlineData("DS", "60485 5 1 2BB183AF5F22588179A53B0A 98631FAD1A292118", "EC4505012BB183AF5F22588179A53B0A98631FAD1A292118")]
    [InlineData("CDS", "0 0 0 00", "0000000000")]
    [InlineData("DNSKEY", "257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==", "0101030D1A88C88615D437FBB8BF9E1942A1929F28562706AE6C2BD399E7B1BFB6D1E9E75B92B4AA42917AE1C61B701EF035C3FE7BE3009CBAFE5A2F71316C902DCF0D00")]
    [InlineData("CDNSKEY", "0 3 0 AA==", "0000030000")]
    [InlineData("RRSIG", "A 13 3 3600 20100909100439 20100812100439 55648 Example.NET. qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==", "00010D0300000E104C88B1374C63C737D960074578616D706C65034E455400AB1EB02D8AA687E97DA0229337AA8873E6F0EB26BE289F28333D183F5D3B7A95C0C869ADFB748DAEE3C5286EED6682C12E5533186BACED9C26C167A9EBAE950B")]
    [InlineData("NSEC", "Host.Example.com. A MX RRSIG NSEC TYPE1234", "04486F7374074578616D706C6503636F6D000006400100000003041B000000000000000000000000000000000000000000000000000020")]
    [InlineData("NSEC3", "1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG", "0101000C04AABBCCDD14174EB2409FE28BCB4887A1836F957F0A8425E27B000722010000000290")]
    [InlineData("NSEC3", "1 0 0 - 2vptu5timamqttgl4luu9kg21e0aor3s", "01000000001417F3DF17B2B2ADAEF615257DE4D2020B80AC6C7C")]
    [InlineData("NSEC3PARAM", "1 0 12 aabbccdd", "0100000C04AABBCCDD")]
    [InlineData("NSEC3PARAM", "1 0 0 -", "0100000000")]
    [InlineData("HINFO", "\"KLH-10\" \"ITS\"", "064B4C482D313003495453")]
    [InlineData("TYPE65534", "\\# 4 0A0B0C0D", "0A0B0C0D")]
    [InlineData("A", "\\# 4 C0000201", "C0000201")]
    public void Parse_EachType_WireRdataMatchesDnspython(string type, string rdata, string expectedHex)
    {
        var rr = ResourceRecord.Parse($"owner.example. 300 IN {type} {rdata}");
        Assert.Equal(expectedHex, Hex.Encode(rr.GetRdata()));
        Assert.Equal(300u, rr.Ttl);
        Assert.Equal(1, rr.Class);
        // Round trip through our own presentation form must give the same wire data.
        var again = ResourceRecord.Parse(rr.ToString());
        Assert.Equal(expectedHex, Hex.Encode(again.GetRdata()));
    }

    [Fact]
    public void Parse_Rfc4034Section43Nsec_WireMatchesRfc()
    {
        var c = ConformanceData.RfcVectors("rfc4034.json").GetProperty("cases").EnumerateArray()
            .Single(x => x.GetProperty("id").GetString() == "rfc4034-4.3-nsec-type-bitmap");
        var rr = ResourceRecord.Parse(ConformanceData.Line(c.GetProperty("records")[0]));
        Assert.Equal(c.GetProperty("expected").GetProperty("rdata_wire_hex").GetString(), Hex.Encode(rr.GetRdata()).ToLowerInvariant());
        var nsec = NsecRecord.From(rr);
        Assert.Equal(new[] { "A", "MX", "RRSIG", "NSEC", "TYPE1234" }, nsec.Types.Select(DnsRecordTypeText.ToText));
    }

    [Fact]
    public void Parse_DigStyleLineWithCommentAndParentheses_Parsed()
    {
        var rr = ResourceRecord.Parse("example.com.\t\t86400\tIN\tDNSKEY\t256 3 8 ( AwEAAcFcGsaxxdgiuuGmCkVI my4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8P kxUdp6p/DlUmObdk= ) ; ZSK; alg = RSASHA256 ; key id = 9033");
        Assert.Equal(DnsRecordType.DNSKEY, rr.Type);
        Assert.Equal(9033, DnskeyRecord.From(rr).KeyTag);
    }

    [Theory]
    [InlineData("example. 300 IN A 192.0.2")]
    [InlineData("example. 300 IN A 192.0.2.1 extra")]
    [InlineData("example. 300 IN AAAA 192.0.2.1")]
    [InlineData("example. 300 IN MX mail.example.")]
    [InlineData("example. 300 IN TYPE65534 0A0B")]
    [InlineData("example. 300 IN TYPE65534 \\# 3 0A0B")]
    [InlineData("example. 300 IN BOGUSTYPE 1")]
    [InlineData("example. 300 IN RRSIG MX 3 3600 1440021600 1438207200 3613 example.com. Edk+IB9KNNWg0HAjm7FazXyrd5m3Rk8zNZbvNpAcM+eysqcUOMIjWoevFkjH5GaMWeG96GUVZu6ECKOQmemHDg==")]
    [InlineData("example. 300 IN DS 1 8 2 XYZ")]
    [InlineData("example. 300 IN TXT \"unterminated")]
    public void TryParse_Malformed_FalseWithError(string line)
    {
        Assert.False(ResourceRecord.TryParse(line, out var rr, out var error));
        Assert.Null(rr);
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Throws<FormatException>(() => ResourceRecord.Parse(line));
    }

    [Fact]
    public void Parse_Rfc8080RrsigAsPrinted_IsRejected()
    {
        // rfc8080.json: the RRSIGs as printed lack the Algorithm field; "presentation_parse_of_rfc_text": "error".
        foreach (var c in ConformanceData.RfcVectors("rfc8080.json").GetProperty("cases").EnumerateArray())
        {
            var sig = c.GetProperty("records").EnumerateArray().Single(r => r.GetProperty("type").GetString() == "RRSIG");
            Assert.False(ResourceRecord.TryParse(ConformanceData.Line(sig), out _, out _), c.GetProperty("id").GetString());
        }
    }

    [Fact]
    public void Parse_TtlAndClassOptionalAndInEitherOrder_Defaults()
    {
        Assert.Equal(0u, ResourceRecord.Parse(". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D").Ttl);
        var rr = ResourceRecord.Parse("example. IN 60 A 192.0.2.1");
        Assert.Equal(60u, rr.Ttl);
        Assert.Equal(1, ResourceRecord.Parse("example. A 192.0.2.1").Class);
        Assert.Equal(3, ResourceRecord.Parse("example. 0 CH TXT \"x\"").Class);
    }

    [Fact]
    public void GetCanonicalRdata_NamesInListedTypes_LowerCased()
    {
        // RFC 4034 6.2 (3) with RFC 6840 5.1: MX/SOA/RRSIG signer lowered, NSEC next name kept, HINFO kept.
        Assert.Equal("000A046D61696C076578616D706C6503636F6D00", Hex.Encode(ResourceRecord.Parse("a. 0 IN MX 10 Mail.Example.COM.").GetCanonicalRdata()));
        var soa = ResourceRecord.Parse("a. 0 IN SOA NS1.Example. Bugs.X.example. 1 2 3 4 5");
        Assert.Equal(Hex.Encode(DnsName.Parse("ns1.example.").ToWire()) + Hex.Encode(DnsName.Parse("bugs.x.example.").ToWire()) + "0000000100000002000000030000000400000005",
            Hex.Encode(soa.GetCanonicalRdata()));
        var nsec = ResourceRecord.Parse("a. 0 IN NSEC Host.Example.com. A");
        Assert.Equal(Hex.Encode(nsec.GetRdata()), Hex.Encode(nsec.GetCanonicalRdata()));
        var hinfo = ResourceRecord.Parse("a. 0 IN HINFO \"KLH-10\" \"ITS\"");
        Assert.Equal(Hex.Encode(hinfo.GetRdata()), Hex.Encode(hinfo.GetCanonicalRdata()));
        var rrsig = ResourceRecord.Parse("a. 0 IN RRSIG A 13 3 3600 20100909100439 20100812100439 55648 Example.NET. qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==");
        Assert.Contains(Hex.Encode(DnsName.Parse("example.net.").ToWire()), Hex.Encode(rrsig.GetCanonicalRdata()));
        Assert.Equal("0A0B", Hex.Encode(ResourceRecord.Parse("a. 0 IN TYPE65534 \\# 2 0A0B").GetCanonicalRdata()));
        var srv = ResourceRecord.Parse("a. 0 IN SRV 0 5 25 Mail.Example.com.");
        Assert.EndsWith("046D61696C076578616D706C6503636F6D00", Hex.Encode(srv.GetCanonicalRdata()));
    }

    [Fact]
    public void SortRrset_Rfc4034Section63_OrderedByCanonicalRdataAndDeduplicated()
    {
        var records = new[]
        {
            ResourceRecord.Parse("x. 0 IN NS b.example."),
            ResourceRecord.Parse("x. 0 IN NS A.example."),
            ResourceRecord.Parse("x. 0 IN NS a.EXAMPLE."),
            ResourceRecord.Parse("x. 0 IN NS ab.example."),
        };
        var sorted = CanonicalOrder.SortRrset(records);
        // Canonical RDATA: 01'a'.. < 01'b'.. < 02'ab'..: length octet first, shorter label sorts first.
        Assert.Equal(new[] { "A.example.", "b.example.", "ab.example." }, sorted.Select(r => r.RdataText));
    }

    [Fact]
    public void ToString_PresentationLine()
    {
        Assert.Equal("www.example.net. 3600 IN A 192.0.2.91", ResourceRecord.Parse("www.example.net. 3600 IN A 192.0.2.91").ToString());
        Assert.Equal("x. 0 IN TYPE65534 \\# 2 0A0B", ResourceRecord.Parse("x. 0 IN TYPE65534 \\# 2 0a0b").ToString());
    }
}
