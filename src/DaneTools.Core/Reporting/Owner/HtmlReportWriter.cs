using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace DaneTools.Core.Reporting.Owner;

// Writes the report as one self-contained, well-formed XHTML page: inline CSS and SVG, no script, no external
// reference (the Content-Security-Policy forbids both). Built as XElement, so every value from DNS or a certificate
// is escaped by the XML writer and cannot become markup.
internal static class HtmlReportWriter
{
    public static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";

    // No '<', '>' or '&' in here: the writer would escape them, and HTML does not unescape inside <style>.
    internal const string Css = @"
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1b1f24; margin: 0 auto; max-width: 1100px; padding: 0 24px 40px; }
h1 { font-size: 22px; margin: 24px 0 4px; } h2 { font-size: 19px; margin: 0 0 8px; border-bottom: 2px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 22px 0 8px; } h4 { font-size: 15px; margin: 16px 0 6px; } h5 { font-size: 14px; margin: 12px 0 4px; }
.domain { margin-top: 28px; padding-top: 8px; }
table { border-collapse: collapse; margin: 6px 0 10px; } th, td { text-align: left; vertical-align: top; padding: 3px 10px 3px 0; border-bottom: 1px solid #eaeef2; }
th { color: #57606a; font-weight: 600; white-space: nowrap; }
code, pre, .mono { font-family: ui-monospace, 'Cascadia Mono', Consolas, monospace; font-size: 12.5px; overflow-wrap: anywhere; }
pre.record { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 10px; white-space: pre-wrap; }
.verdict { display: inline-block; padding: 1px 10px; border-radius: 12px; font-weight: 700; }
.v-Pass, .v-DnsPass, .v-Authenticated, .v-Secure { background: #dafbe1; color: #116329; }
.v-Fail, .v-Deferred, .v-AuthFailure, .v-TlsFailure, .v-DnsFailure, .v-Bogus, .v-Indeterminate { background: #ffebe9; color: #a40e26; }
.v-Degraded, .v-TlsOnly { background: #fff8c5; color: #7d4e00; }
.v-NotApplicable, .v-NoDane, .v-NoMail, .v-Insecure { background: #eaeef2; color: #424a53; }
ol.fixes li { margin-bottom: 10px; } .fix-title { font-weight: 600; margin: 0; } .fix-detail { margin: 2px 0 4px; }
.compare { display: flex; gap: 16px; flex-wrap: wrap; } .compare div.side { flex: 1 1 420px; min-width: 0; }
.side h6 { font-size: 13px; margin: 6px 0 2px; color: #57606a; } .evidence { display: block; color: #57606a; font-size: 13px; }
.warnings li { color: #7d4e00; } .note { color: #57606a; font-size: 13px; }
footer { margin-top: 36px; border-top: 1px solid #d0d7de; padding-top: 8px; color: #57606a; font-size: 12.5px; }
svg.chain { display: block; max-width: 100%; height: auto; margin: 6px 0 14px; font-family: ui-monospace, Consolas, monospace; font-size: 11px; }
svg .zone { fill: #f6f8fa; stroke: #8c959f; stroke-width: 1; } svg .zone.bogus { fill: #fff5f5; stroke: #cf222e; stroke-width: 2; }
svg .zone.insecure { fill: #f6f8fa; stroke-dasharray: 4 3; } svg .zone-label { font-weight: 700; font-size: 12px; fill: #1b1f24; }
svg .node rect { fill: #ffffff; stroke: #57606a; stroke-width: 1.2; } svg .node.secure rect { stroke: #1a7f37; fill: #f0fff4; }
svg .node.bogus rect { stroke: #cf222e; fill: #fff0ef; stroke-width: 2; } svg .node.insecure rect { stroke: #8c959f; stroke-dasharray: 4 3; }
svg .node.ksk rect { stroke-width: 2.2; } svg .label { fill: #1b1f24; } svg .note { fill: #57606a; font-style: italic; }
svg .edge { stroke: #1a7f37; stroke-width: 1.5; } svg .edge.bad { stroke: #cf222e; stroke-width: 2.2; stroke-dasharray: 6 4; }
svg .edge.insecure { stroke: #8c959f; stroke-dasharray: 4 3; } svg .arrow.ok { fill: #1a7f37; } svg .arrow.bad { fill: #cf222e; } svg .arrow.insecure { fill: #8c959f; }
svg .broken-label { fill: #cf222e; font-weight: 700; } svg .edge-label { fill: #57606a; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; } nav { display: none; }
  .domain { break-before: page; } .domain:first-of-type { break-before: auto; }
  .host, .address, svg.chain, ol.fixes li, table { break-inside: avoid; }
  .verdict { border: 1px solid #57606a; } pre.record { white-space: pre-wrap; }
}";

    public static string Write(IReadOnlyList<ReportDomain> domains, OwnerReportSettings settings)
    {
        int svgCount = 0;
        var names = string.Join(", ", domains.Select(d => d.DomainName));
        var body = new XElement(Xhtml + "body",
            new XElement(Xhtml + "header",
                new XElement(Xhtml + "h1", "DANE and DNSSEC report"),
                P("note", $"For the administrators of {names}. Written {ReportAdvisor.Utc(settings.GeneratedUtc)} by DaneTools {settings.ToolVersion}, from the results of its checks. "
                    + "It shows what fails for mail sent to the domain under DANE (RFC 7672), the evidence, and what to change, in order.")));
        if (domains.Count > 1)
        {
            body.Add(new XElement(Xhtml + "nav", new XElement(Xhtml + "ul",
                domains.Select((d, i) => new XElement(Xhtml + "li", new XElement(Xhtml + "a", new XAttribute("href", "#d" + i.ToString(CultureInfo.InvariantCulture)), d.DomainName),
                    " ", Verdict(d.HasDaneResult ? d.Status : d.Chains.FirstOrDefault()?.Status ?? string.Empty))))));
        }
        for (int i = 0; i < domains.Count; i++) body.Add(Domain(domains[i], "d" + i.ToString(CultureInfo.InvariantCulture), ref svgCount));
        body.Add(Footer(domains, settings));
        var html = new XElement(Xhtml + "html", new XAttribute("lang", "en"),
            new XElement(Xhtml + "head",
                new XElement(Xhtml + "meta", new XAttribute("charset", "utf-8")),
                new XElement(Xhtml + "meta", new XAttribute("http-equiv", "Content-Security-Policy"), new XAttribute("content", "default-src 'none'; style-src 'unsafe-inline'")),
                new XElement(Xhtml + "meta", new XAttribute("name", "viewport"), new XAttribute("content", "width=device-width, initial-scale=1")),
                new XElement(Xhtml + "meta", new XAttribute("name", "generator"), new XAttribute("content", "DaneTools " + ChainSvg.Clean(settings.ToolVersion))),
                new XElement(Xhtml + "title", ChainSvg.Clean("DANE report: " + names)),
                new XElement(Xhtml + "style", Css)),
            body);
        var doc = new XDocument(new XDocumentType("html", null, null, null), html);
        var xmlSettings = new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false, Encoding = new UTF8Encoding(false), NewLineHandling = NewLineHandling.Entitize };
        using var sw = new Utf8StringWriter();
        using (var w = XmlWriter.Create(sw, xmlSettings)) doc.Save(w);
        return sw.ToString();
    }

    private static XElement Domain(ReportDomain d, string id, ref int svgCount)
    {
        var s = new XElement(Xhtml + "section", new XAttribute("class", "domain"), new XAttribute("id", id),
            new XElement(Xhtml + "h2", d.DomainName));
        if (d.HasDaneResult)
        {
            s.Add(Table("summary",
                Row("Verdict (RFC 7672)", Verdict(d.Status)),
                Row("Exchange Online", Verdict(d.ExchangeOnlineStatus), d.ExchangeOnlineNdr.Length > 0 ? new XElement(Xhtml + "span", " NDR ", Code(d.ExchangeOnlineNdr)) : (object)" (no NDR)"),
                Row("TLS-RPT", d.TlsRptResultType.Length > 0 ? Code(d.TlsRptResultType) : (object)"no failure", $" (policy type {d.TlsRptPolicyType})"),
                Row("Checked", ReportAdvisor.Utc(d.CheckedUtc) + (d.DnsOnly ? " (DNS only: certificates not checked)" : string.Empty)),
                ReportAdvisor.FailingSince(d) is { Length: > 0 } since ? Row("Failing since", since) : null,
                Row("MX", d.MxKind + (d.MxLookup is null ? string.Empty : $", DNSSEC {d.MxLookup.Status}"))));
            s.Add(new XElement(Xhtml + "p", new XAttribute("class", "reason"), Clean(d.Reason)));
        }
        if (TxtDerived(d) is { } txt) s.Add(txt);
        if (d.DetailCut) s.Add(P("note", "Some detail was cut when these results were exported: export with Export-Clixml -Depth 8 to keep certificates and chain links."));

        s.Add(new XElement(Xhtml + "h3", "What to fix"));
        if (d.Fixes.Count == 0) s.Add(P("note", "No change to suggest from these results."));
        else
        {
            s.Add(new XElement(Xhtml + "ol", new XAttribute("class", "fixes"), d.Fixes.Select(f => new XElement(Xhtml + "li",
                P("fix-title", f.Title), P("fix-detail", f.Detail),
                f.Records.Count == 0 ? null : new XElement(Xhtml + "pre", new XAttribute("class", "record"), Clean(string.Join("\n", f.Records)))))));
        }

        s.Add(new XElement(Xhtml + "h3", "DNSSEC chain"));
        foreach (var c in d.Chains) s.Add(ChainSvg.Draw(c, "svg" + (++svgCount).ToString(CultureInfo.InvariantCulture)));
        if (d.Chains.Count == 0)
        {
            var lookups = new List<ReportLookup>();
            if (d.MxLookup is not null) lookups.Add(d.MxLookup);
            foreach (var h in d.Hosts) { lookups.AddRange(h.AddressLookups); lookups.AddRange(h.TlsaLookups); }
            if (lookups.Count > 0) s.Add(ChainSvg.Draw(lookups, $"DNSSEC lookups for {d.DomainName}", "svg" + (++svgCount).ToString(CultureInfo.InvariantCulture)));
            s.Add(P("note", "For the zone-by-zone picture (DS and DNSKEY per zone), include Test-DnssecChain results for the names above."));
        }

        if (d.Hosts.Count > 0) s.Add(new XElement(Xhtml + "h3", "Mail servers"));
        foreach (var h in d.Hosts) s.Add(Host(h));

        s.Add(new XElement(Xhtml + "h3", "Warnings"));
        s.Add(d.Warnings.Count == 0 ? P("note", "None.") : new XElement(Xhtml + "ul", new XAttribute("class", "warnings"), d.Warnings.Select(w => new XElement(Xhtml + "li", Clean(w)))));
        return s;
    }

    // The MTA-STS policy (RFC 8461) and the TLS-RPT TXT records (RFC 8460 section 3) as published: values from DNS, shown as text.
    private static XElement? TxtDerived(ReportDomain d)
    {
        if (d.MtaStsMode.Length == 0 && d.MtaStsPolicyId.Length == 0 && d.TlsRpt.Count == 0) return null;
        return new XElement(Xhtml + "table", new XAttribute("class", "txt-records"),
            Row("MTA-STS policy", d.MtaStsMode.Length > 0 ? "mode " + d.MtaStsMode : "none",
                d.MtaStsPolicyId.Length > 0 ? new XElement(Xhtml + "span", ", id ", Code(d.MtaStsPolicyId)) : null,
                d.MtaStsResultType.Length > 0 ? new XElement(Xhtml + "span", ", result ", Code(d.MtaStsResultType)) : null),
            d.TlsRpt.Select(t => Row(ChainSvg.Clean($"TLS-RPT _smtp._tls.{t.PolicyDomain} ({t.Role})"),
                t.Records.Count == 0 ? "none published" : null,
                t.Records.Select(r => new XElement(Xhtml + "pre", new XAttribute("class", "record"), Clean(r))),
                t.Problem.Length > 0 ? P("note", t.Problem) : null)));
    }

    private static XElement Host(ReportHost h)
    {
        var s = new XElement(Xhtml + "section", new XAttribute("class", "host"),
            new XElement(Xhtml + "h4", Clean($"{(h.IsImplicit ? "implicit MX" : "MX " + h.Preference.ToString(CultureInfo.InvariantCulture))} {h.HostName} "), Verdict(h.Outcome)),
            new XElement(Xhtml + "p", Clean(h.Reason)),
            Table("host-facts",
                Row("Addresses (DNSSEC)", h.AddressStatus + (h.ExpandedHostName.Length > 0 && !ReportAdvisor.SameName(h.ExpandedHostName, h.HostName) ? $", CNAME to {h.ExpandedHostName}" : string.Empty)),
                Row("TLSA base domain", h.TlsaBaseDomain.Length > 0 ? Code(h.TlsaBaseDomain) : (object)"none"),
                Row("TLSA (DNSSEC)", h.TlsaStatus.Length > 0 ? h.TlsaStatus : "not looked up"),
                Row("Requirement", h.Requirement),
                Row("Exchange Online NDR", h.ExchangeOnlineNdr.Length > 0 ? Code(h.ExchangeOnlineNdr) : (object)"none")));
        if (h.Tlsa.Count > 0)
        {
            s.Add(new XElement(Xhtml + "table", new XAttribute("class", "tlsa"),
                new XElement(Xhtml + "tr", new XElement(Xhtml + "th", "TLSA record at " + ChainSvg.Clean(h.TlsaOwner) + (h.TlsaTtl is long ttl ? $" (TTL {ttl.ToString(CultureInfo.InvariantCulture)} s as served)" : string.Empty)), new XElement(Xhtml + "th", "usable"), new XElement(Xhtml + "th", "matched")),
                h.Tlsa.Select(t => new XElement(Xhtml + "tr",
                    new XElement(Xhtml + "td", Code(t.Record)),
                    new XElement(Xhtml + "td", Clean(t.Usable ? "yes" : "no" + (t.Note.Length > 0 ? ": " + t.Note : string.Empty))),
                    new XElement(Xhtml + "td", Clean(t.MatchedAt.Count > 0 ? string.Join(", ", t.MatchedAt) : "no"))))));
        }
        foreach (var a in h.Addresses) s.Add(Address(h, a));
        return s;
    }

    private static XElement Address(ReportHost h, ReportAddress a)
    {
        var div = new XElement(Xhtml + "div", new XAttribute("class", "address"),
            new XElement(Xhtml + "h5", Clean($"{a.Address} ({a.Family}) "), Verdict(a.Outcome)),
            new XElement(Xhtml + "p", Clean(a.Reason)));
        if (!a.Probed) { div.Add(P("note", "Not probed.")); return div; }
        div.Add(Table("probe",
            Row("STARTTLS", a.StartTlsOffered is null ? "unknown" : a.StartTlsOffered.Value ? "offered" : "NOT offered"),
            Row("TLS", a.TlsVersion.Length > 0 ? $"{a.TlsVersion} {a.Cipher}".Trim() : "not established"),
            Row("SNI sent", a.ServerName),
            Row("TLSA match", a.MatchOutcome.Length == 0 ? "not attempted" : a.MatchOutcome + (a.MatchedRecord.Length > 0 ? $": {a.MatchedRecord} at depth {a.MatchDepth.ToString(CultureInfo.InvariantCulture)}" : string.Empty)),
            a.ProbeError.Length > 0 ? Row("Error", a.ProbeError) : null));
        if (a.Chain.Count == 0) return div;
        var presented = new XElement(Xhtml + "div", new XAttribute("class", "side presented"), new XElement(Xhtml + "h6", "The server presents"));
        foreach (var c in a.Chain)
        {
            presented.Add(Table("certificate",
                Row("Depth", c.Position.ToString(CultureInfo.InvariantCulture) + (c.Position == 0 ? " (leaf)" : string.Empty)),
                Row("Subject", c.Subject),
                Row("Issuer", c.Issuer),
                Row("Valid", $"{ReportAdvisor.Utc(c.NotBeforeUtc)} to {ReportAdvisor.Utc(c.NotAfterUtc)}"),
                c.DnsNames.Count > 0 ? Row("DNS names", string.Join(", ", c.DnsNames)) : null,
                Row("SPKI SHA-256", Code(c.SpkiSha256)),
                Row("Certificate SHA-256", Code(c.CertificateSha256))));
        }
        var expected = new XElement(Xhtml + "div", new XAttribute("class", "side expected"), new XElement(Xhtml + "h6", "The TLSA records expect"));
        if (h.Tlsa.Count == 0) expected.Add(P("note", "No TLSA records apply."));
        foreach (var t in h.Tlsa)
            expected.Add(new XElement(Xhtml + "p", Code(t.Record), " ", new XElement(Xhtml + "span", new XAttribute("class", "evidence"), Clean(TlsaEvidence.For(t, a)))));
        div.Add(new XElement(Xhtml + "div", new XAttribute("class", "compare"), presented, expected));
        return div;
    }

    private static XElement Footer(IReadOnlyList<ReportDomain> domains, OwnerReportSettings settings)
    {
        var servers = domains.SelectMany(d => d.Servers).Distinct().ToList();
        var anchors = domains.SelectMany(d => d.TrustAnchors).Distinct().ToList();
        return new XElement(Xhtml + "footer",
            P(null, $"DaneTools {settings.ToolVersion}. Report written {ReportAdvisor.Utc(settings.GeneratedUtc)}."),
            P(null, "Resolver / answering servers: " + (servers.Count > 0 ? string.Join(", ", servers) : "not recorded in these results.")),
            P(null, "Trust anchor: " + (anchors.Count > 0 ? string.Join("; ", anchors) : "not recorded in these results.")),
            P(null, "Every value from DNS or a certificate is shown as text. DaneTools validates DNSSEC itself from the trust anchor; it does not trust a resolver's AD bit."));
    }

    private static XElement Verdict(string status) =>
        new(Xhtml + "span", new XAttribute("class", "verdict v-" + Token(status)), Clean(status.Length > 0 ? status : "unknown"));

    private static string Token(string s) => new(s.Where(char.IsLetterOrDigit).ToArray());

    private static XElement Code(string text) => new(Xhtml + "code", Clean(text));

    private static XElement P(string? css, string text) =>
        css is null ? new XElement(Xhtml + "p", Clean(text)) : new XElement(Xhtml + "p", new XAttribute("class", css), Clean(text));

    private static XElement Table(string css, params XElement?[] rows) =>
        new(Xhtml + "table", new XAttribute("class", css), rows.Where(r => r is not null));

    private static XElement Row(string header, params object?[] cells) =>
        new(Xhtml + "tr", new XElement(Xhtml + "th", header), new XElement(Xhtml + "td", cells.Select(c => c is string s ? Clean(s) : c)));

    private static string Clean(string text) => ChainSvg.Clean(text);

    private sealed class Utf8StringWriter : StringWriter
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
