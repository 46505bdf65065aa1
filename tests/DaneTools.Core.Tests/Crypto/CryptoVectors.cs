using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using DaneTools.Core.Dns;
using DaneTools.Core.Tests.Dns;

namespace DaneTools.Core.Tests.Crypto;

/// <summary>Signature vectors from the conformance files: the covered RRset, the RRSIG, the DNSKEY and the verdict.</summary>
internal static class CryptoVectors
{
    public sealed record SignatureCase(string Id, string[] Rrset, string Rrsig, string Dnskey, bool Valid)
    {
        public override string ToString() => Id;
    }

    public static IEnumerable<SignatureCase> All()
    {
        var c4034 = ConformanceData.RfcVectors("rfc4034.json").GetProperty("cases").EnumerateArray().ToList();
        var key4034 = ConformanceData.Line(c4034.Single(c => c.GetProperty("id").GetString() == "rfc4034-2.3-dnskey-example.com").GetProperty("records")[0]);
        var sig33 = c4034.Single(c => c.GetProperty("id").GetString() == "rfc4034-3.3-rrsig-host.example.com-A");
        var sig33Line = ConformanceData.Line(sig33.GetProperty("records")[0]);
        yield return new("rfc4034-3.3 derived RRset", sig33.GetProperty("derived_covered_rrset").EnumerateArray().Select(ConformanceData.Line).ToArray(),
            sig33Line, key4034, sig33.GetProperty("expected").GetProperty("signature_valid_over_derived_rrset").GetBoolean());
        yield return new("rfc4034-3.3 A 192.0.2.1", new[] { "host.example.com. 86400 IN A 192.0.2.1" }, sig33Line, key4034,
            sig33.GetProperty("expected").GetProperty("signature_valid_if_A_is_192.0.2.1").GetBoolean());

        foreach (var file in new[] { "rfc5702.json", "rfc6605.json" })
        {
            foreach (var c in ConformanceData.RfcVectors(file).GetProperty("cases").EnumerateArray())
            {
                var records = c.GetProperty("records").EnumerateArray().ToList();
                yield return new(c.GetProperty("id").GetString()!,
                    records.Where(r => r.GetProperty("type").GetString() == "A").Select(ConformanceData.Line).ToArray(),
                    ConformanceData.Line(records.Single(r => r.GetProperty("type").GetString() == "RRSIG")),
                    ConformanceData.Line(records.Single(r => r.GetProperty("type").GetString() == "DNSKEY")),
                    c.GetProperty("expected").GetProperty("signature_valid").GetBoolean());
            }
        }

        var zone = ConformanceData.RfcVectors("rfc5155.json").GetProperty("example_zone");
        var zoneRecords = zone.GetProperty("records").EnumerateArray().Select(ConformanceData.Line).Select(ResourceRecord.Parse).ToList();
        var keys = zoneRecords.Where(r => r.Type == DnsRecordType.DNSKEY).ToList();
        var results = zone.GetProperty("expected").GetProperty("rrsig_results").EnumerateArray().ToList();
        foreach (var sigRecord in zoneRecords.Where(r => r.Type == DnsRecordType.RRSIG))
        {
            var sig = RrsigRecord.From(sigRecord);
            var expected = results.Single(x => DnsName.Parse(x.GetProperty("owner").GetString()!) == sig.Owner && x.GetProperty("type_covered").GetString() == DnsRecordTypeText.ToText(sig.TypeCovered));
            var rrset = zoneRecords.Where(r => r.Owner == sig.Owner && r.Type == sig.TypeCovered).Select(r => r.ToString()).ToArray();
            var key = keys.Select(DnskeyRecord.From).Single(k => k.KeyTag == sig.KeyTag);
            yield return new($"rfc5155 {sig.Owner} {sig.TypeCovered}", rrset, sigRecord.ToString(), key.Record.ToString(), expected.GetProperty("signature_valid").GetBoolean());
        }
    }

    /// <summary>RFC 8080 cases with the corrected RRSIG (as it verifies) and the expected crypto result per Labels value.</summary>
    public static IEnumerable<(string Id, string Mx, string Rrsig, string Dnskey, JsonElement Case)> Rfc8080()
    {
        foreach (var c in ConformanceData.RfcVectors("rfc8080.json").GetProperty("cases").EnumerateArray())
        {
            var records = c.GetProperty("records").EnumerateArray().ToList();
            var owner = records[0].GetProperty("owner").GetString();
            yield return (c.GetProperty("id").GetString()!,
                ConformanceData.Line(records.Single(r => r.GetProperty("type").GetString() == "MX")),
                $"{owner} 3600 IN RRSIG {c.GetProperty("rfc_text_defect").GetProperty("rdata_that_verifies").GetString()}",
                ConformanceData.Line(records.Single(r => r.GetProperty("type").GetString() == "DNSKEY")),
                c);
        }
    }
}
