using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DaneTools.Core.Reporting.Owner;

// Writes the same content as a short plain-text letter to the recipient domain's postmaster, for a ticket or an
// e-mail. Control characters from DNS or certificates are replaced, so a hostile value cannot drive a terminal.
internal static class TextReportWriter
{
    private const int Width = 78;

    public static string Write(IReadOnlyList<ReportDomain> domains, OwnerReportSettings settings)
    {
        var b = new StringBuilder();
        foreach (var d in domains)
        {
            if (b.Length > 0) b.Append('\n').Append('=', Width).Append("\n\n");
            Letter(b, d);
        }
        var servers = domains.SelectMany(d => d.Servers).Distinct().ToList();
        var anchors = domains.SelectMany(d => d.TrustAnchors).Distinct().ToList();
        b.Append("\n--\n");
        Line(b, string.Empty, $"Checked with DaneTools {settings.ToolVersion}; letter written {ReportAdvisor.Utc(settings.GeneratedUtc)}.");
        Line(b, string.Empty, "Resolver / answering servers: " + (servers.Count > 0 ? string.Join(", ", servers) : "not recorded in these results."));
        Line(b, string.Empty, "Trust anchor: " + (anchors.Count > 0 ? string.Join("; ", anchors) : "not recorded in these results."));
        return b.ToString();
    }

    private static void Letter(StringBuilder b, ReportDomain d)
    {
        var ndr = d.ExchangeOnlineNdr.Length > 0 ? $" ({d.ExchangeOnlineNdr})" : string.Empty;
        Line(b, string.Empty, $"To: the administrators of {d.DomainName} (postmaster@{d.DomainName})");
        var subject = d.HasDaneResult
            ? $"Subject: Mail to {d.DomainName}: DANE check {d.Status}{ndr}"
            : $"Subject: DNSSEC check of {d.DomainName}: {d.Chains.FirstOrDefault()?.Status}";
        Line(b, string.Empty, subject);
        b.Append('\n');
        Line(b, string.Empty, "Hello,");
        b.Append('\n');
        if (d.HasDaneResult)
        {
            Line(b, string.Empty, $"we send mail to {d.DomainName} and check your domain's DANE (RFC 7672) and DNSSEC records before we do. The check of {ReportAdvisor.Utc(d.CheckedUtc)} found:");
            b.Append('\n');
            Line(b, "  ", $"Verdict: {d.Status}. Exchange Online: {d.ExchangeOnlineStatus}{(d.ExchangeOnlineNdr.Length > 0 ? ", NDR " + d.ExchangeOnlineNdr : ", no NDR")}. TLS-RPT result: {(d.TlsRptResultType.Length > 0 ? d.TlsRptResultType : "none")}.");
            Line(b, "  ", "Reason: " + d.Reason);
            if (ReportAdvisor.FailingSince(d) is { Length: > 0 } since) Line(b, "  ", "Failing since: " + since, "    ");
            if (d.DnsOnly) Line(b, "  ", "(DNS only: the servers' certificates were not checked.)");
            if (d.MtaStsMode.Length > 0 || d.MtaStsPolicyId.Length > 0)
                Line(b, "  ", $"MTA-STS policy: mode {d.MtaStsMode}{(d.MtaStsPolicyId.Length > 0 ? ", id " + d.MtaStsPolicyId : string.Empty)}{(d.MtaStsResultType.Length > 0 ? ", result " + d.MtaStsResultType : string.Empty)}.", "    ");
            foreach (var t in d.TlsRpt)
            {
                Line(b, "  ", $"TLS-RPT at _smtp._tls.{t.PolicyDomain} ({t.Role}): {(t.Records.Count == 0 ? "none published" : string.Empty)}".TrimEnd(), "    ");
                foreach (var r in t.Records) b.Append("    ").Append(Clean(r)).Append('\n');
                if (t.Problem.Length > 0) Line(b, "    ", t.Problem, "      ");
            }
        }
        else
        {
            Line(b, string.Empty, $"we checked the DNSSEC chain of {d.DomainName}. It is {d.Chains.FirstOrDefault()?.Status}: {d.Chains.FirstOrDefault()?.Reason}");
        }
        b.Append('\n');
        Line(b, string.Empty, d.Fixes.Count == 0 ? "We have no change to suggest." : "What to change, in this order:");
        for (int i = 0; i < d.Fixes.Count; i++)
        {
            var f = d.Fixes[i];
            Line(b, "  ", $"{(i + 1).ToString(CultureInfo.InvariantCulture)}. {f.Title}", "     ");
            Line(b, "     ", f.Detail);
            foreach (var r in f.Records) b.Append("       ").Append(Clean(r)).Append('\n');
        }
        b.Append('\n');
        Line(b, string.Empty, "Evidence:");
        foreach (var c in d.Chains)
        {
            Line(b, "  ", $"DNSSEC chain for {c.QueryName} {c.Type}: {c.Status}{(c.ReasonCode.Length > 0 ? " (" + c.ReasonCode + ")" : string.Empty)}", "    ");
            foreach (var z in c.Zones)
            {
                var ds = z.Ds.Count == 0 ? "no DS" : "DS " + string.Join(", ", z.Ds.Select(x => $"{x.KeyTag}/{x.Algorithm}{(x.MatchesKey ? string.Empty : " (matches no key)")}"));
                var keys = z.Keys.Count == 0 ? "no DNSKEY" : "DNSKEY " + string.Join(", ", z.Keys.Select(k => $"{k.KeyTag}/{k.Algorithm} {k.Role}"));
                Line(b, "    ", $"{z.Name}: {z.Status}; {ds}; {keys}{(z.ReasonCode.Length > 0 ? "; " + z.ReasonCode + ": " + z.Reason : string.Empty)}", "      ");
            }
            foreach (var a in c.Aliases) Line(b, "    ", $"{a.Owner} {a.Type} {a.Target} ({a.Status})", "      ");
        }
        if (d.Chains.Count == 0 && d.MxLookup is not null)
            Line(b, "  ", $"MX lookup {d.MxLookup.QueryName}: {d.MxLookup.Status}{(d.MxLookup.ReasonCode.Length > 0 ? " (" + d.MxLookup.ReasonCode + ": " + d.MxLookup.Reason + ")" : string.Empty)}", "    ");
        foreach (var h in d.Hosts)
        {
            Line(b, "  ", $"MX {h.Preference.ToString(CultureInfo.InvariantCulture)} {h.HostName}: {h.Outcome}. {h.Reason}", "    ");
            if (d.Chains.Count == 0)
                foreach (var l in h.AddressLookups.Concat(h.TlsaLookups).Where(l => l.Status != "Secure" || l.ReasonCode.Length > 0))
                    Line(b, "    ", $"{l.QueryName} {l.Type}: {l.Status}{(l.ReasonCode.Length > 0 ? " (" + l.ReasonCode + ")" : string.Empty)}", "      ");
            bool matched = h.Addresses.Any(a => a.MatchOutcome.Length > 0);
            foreach (var t in h.Tlsa)
                Line(b, "    ", $"TLSA {t.Record}{(t.MatchedAt.Count > 0 ? " matched at " + string.Join(", ", t.MatchedAt) : !t.Usable ? " (unusable)" : matched ? " (matched nothing)" : " (no TLS session to match)")}", "      ");
            foreach (var a in h.Addresses.Where(a => a.Probed))
            {
                var leaf = a.Chain.FirstOrDefault();
                Line(b, "    ", $"{a.Address}: STARTTLS {(a.StartTlsOffered == true ? "offered" : a.StartTlsOffered == false ? "NOT offered" : "unknown")}"
                    + (a.TlsVersion.Length > 0 ? ", " + a.TlsVersion : string.Empty)
                    + (leaf is null ? string.Empty : $"; presents {leaf.Subject} (valid to {ReportAdvisor.Utc(leaf.NotAfterUtc)}), SPKI SHA-256 {leaf.SpkiSha256}")
                    + $"; {a.Outcome}.", "      ");
                // Why each record did or did not authenticate this address, where it failed.
                if (a.Outcome != "Authenticated" && a.Chain.Count > 0)
                    foreach (var t in h.Tlsa) Line(b, "      ", $"TLSA {t.Record}: {TlsaEvidence.For(t, a)}", "        ");
            }
        }
        if (d.Warnings.Count > 0)
        {
            b.Append('\n');
            Line(b, string.Empty, "Warnings:");
            foreach (var w in d.Warnings) Line(b, "  - ", w, "    ");
        }
        if (d.DetailCut) { b.Append('\n'); Line(b, string.Empty, "(Some detail was cut when these results were exported: export with Export-Clixml -Depth 8.)"); }
    }

    // Word-wraps one paragraph; records and digests are never split inside a word.
    private static void Line(StringBuilder b, string indent, string text, string? hanging = null)
    {
        var words = Clean(text).Split(' ');
        var line = new StringBuilder(indent);
        bool empty = true;
        foreach (var w in words)
        {
            if (!empty && line.Length + 1 + w.Length > Width)
            {
                b.Append(line.ToString().TrimEnd()).Append('\n');
                line.Clear().Append(hanging ?? indent);
                empty = true;
            }
            if (!empty) line.Append(' ');
            line.Append(w);
            empty = false;
        }
        b.Append(line.ToString().TrimEnd()).Append('\n');
    }

    internal static string Clean(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (var c in text) b.Append(char.IsControl(c) || c is '\u2028' or '\u2029' or '\u202E' or '\u202D' ? '?' : c);
        return b.ToString();
    }
}
