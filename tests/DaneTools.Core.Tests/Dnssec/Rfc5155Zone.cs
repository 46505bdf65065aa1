using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Tests.Dns;

namespace DaneTools.Core.Tests.Dnssec;

/// <summary>The RFC 5155 Appendix A zone and its Appendix B responses, from rfc5155.json, as an in-memory source.</summary>
internal static class Rfc5155Zone
{
    public static JsonElement Json => ConformanceData.RfcVectors("rfc5155.json");

    public static DateTime ValidationTime => DateTime.Parse(Json.GetProperty("example_zone").GetProperty("validation_time").GetProperty("suggested_validation_time_utc").GetString()!,
        System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);

    public static List<ResourceRecord> Records =>
        Json.GetProperty("example_zone").GetProperty("records").EnumerateArray().Select(ConformanceData.Line).Select(ResourceRecord.Parse).ToList();

    /// <summary>The KSK (key tag 12708) as a DNSKEY anchor, as the file's trust_anchor_hint says.</summary>
    public static string KskAnchor => Records.Single(r => r.Type == DnsRecordType.DNSKEY && DnskeyRecord.From(r).KeyTag == 12708).ToString();

    /// <summary>Returns an RRset with its RRSIGs.</summary>
    public static List<ResourceRecord> Set(string owner, DnsRecordType type)
    {
        var name = DnsName.Parse(owner);
        var all = Records;
        var set = all.Where(r => r.Owner.Equals(name) && r.Type == type).ToList();
        set.AddRange(all.Where(r => r.Owner.Equals(name) && r.Type == DnsRecordType.RRSIG && RrsigRecord.From(r).TypeCovered == type));
        if (set.Count == 0) throw new InvalidOperationException($"rfc5155 zone has no {owner} {type}");
        return set;
    }

    public static List<ResourceRecord> Nsec3(string hash) => Set(hash + ".example.", DnsRecordType.NSEC3);

    /// <summary>Builds the source: the DNSKEY RRset and each Appendix B response, with the authority NSEC3 records as the JSON lists them.</summary>
    public static InMemoryRecordSource Source()
    {
        var source = new InMemoryRecordSource();
        source.Add("example.", DnsRecordType.DNSKEY, Set("example.", DnsRecordType.DNSKEY));
        foreach (var c in Json.GetProperty("example_responses").GetProperty("cases").EnumerateArray())
        {
            var qname = c.GetProperty("qname").GetString()!;
            DnsRecordTypeText.TryParse(c.GetProperty("qtype").GetString(), out var qtype);
            var authority = new List<ResourceRecord>();
            foreach (var a in c.GetProperty("authority").EnumerateArray().Select(x => x.GetString()!))
            {
                if (a.StartsWith("example. SOA", StringComparison.Ordinal)) authority.AddRange(Set("example.", DnsRecordType.SOA));
                else if (a.StartsWith("example. NS", StringComparison.Ordinal)) authority.AddRange(Set("example.", DnsRecordType.NS));
                else if (a.StartsWith("NSEC3 ", StringComparison.Ordinal)) authority.AddRange(Nsec3(a.Split(' ')[1]));
                else if (a.StartsWith("c.example. NS", StringComparison.Ordinal)) authority.AddRange(Records.Where(r => r.Owner.Equals(DnsName.Parse("c.example.")) && r.Type == DnsRecordType.NS));
                else throw new InvalidOperationException("unexpected authority entry " + a);
            }
            var answer = new List<ResourceRecord>();
            if (c.TryGetProperty("answer", out var ans))
            {
                // B.4: the *.w.example MX RRset and its RRSIG, expanded to the query name (RFC 4035 section 5.3.2).
                foreach (var r in Set("*.w.example.", DnsRecordType.MX)) answer.Add(r.WithOwner(DnsName.Parse(qname)));
            }
            var rcode = c.GetProperty("rcode").GetString()!.StartsWith("NXDOMAIN", StringComparison.Ordinal) ? DnsResponseCode.NXDomain : DnsResponseCode.NoError;
            source.Add(qname, qtype, answer, authority, rcode);
        }
        return source;
    }

    public static ChainValidator Validator(InMemoryRecordSource source, Action<DnssecValidatorOptions>? configure = null)
    {
        var anchors = new TrustAnchorStore();
        anchors.Add(KskAnchor);
        var options = new DnssecValidatorOptions { TrustAnchors = anchors, ValidationTime = ValidationTime };
        configure?.Invoke(options);
        return new ChainValidator(source, options, new FixedClock(ValidationTime));
    }
}
