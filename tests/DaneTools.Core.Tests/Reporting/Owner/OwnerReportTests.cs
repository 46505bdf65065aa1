using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;
using DaneTools.Core.Dane;
using DaneTools.Core.Reporting.Owner;
using DaneTools.Core.Sts;
using DaneTools.Core.Tests.Dnssec;
using Xunit;

namespace DaneTools.Core.Tests.Reporting.Owner;

/// <summary>Export-DaneReport's model and renderers: structure of the XHTML and SVG, escaping, the advice and its records.</summary>
public sealed class OwnerReportTests
{
    private static readonly XNamespace H = HtmlReportWriter.Xhtml;
    private static readonly XNamespace S = ChainSvg.Svg;
    private static readonly DateTime CheckTime = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    private static string DataPath(string file) => Path.Combine(AppContext.BaseDirectory, "TestData", "Reporting", file);

    private static string OpenSslSpki => File.ReadAllText(DataPath("hostile-leaf.spki-sha256.txt")).Trim();

    // The leaf as DaneTools presents it: the matcher's plain-data copy of the certificate the server sent.
    private static PresentedCertificate HostileLeaf()
    {
        var der = CertificateFile.Read(DataPath("hostile-leaf.pem"))[0].GetEncoded();
        var wrong = TlsaRecord.Parse("3 1 1 " + new string('A', 64));
        return TlsaMatcher.Match(new[] { wrong }, new[] { der }).Chain[0];
    }

    // A Test-DaneDomain result as Import-Clixml gives it: property bags with type names and enums as names.
    private static DictView MismatchDomain(string domain = "example.test", string reason = "No MX host can take mail.")
    {
        var address = new DictView("Deserialized.DaneTools.Core.Dane.DaneAddressResult")
        {
            ["Address"] = "192.0.2.25", ["AddressFamily"] = "IPv4", ["Probed"] = true, ["StartTlsOffered"] = true, ["TlsVersion"] = "Tls13",
            ["CipherAlgorithm"] = "Aes256Gcm", ["ServerName"] = "mx.example.test", ["OutcomeText"] = "AuthFailure", ["MatchOutcomeText"] = "NoMatch",
            ["MatchDepth"] = -1L, ["Reason"] = "DANE authentication failed (NoMatch): No usable TLSA record matched the presented chain.",
            ["PresentedChain"] = new List<object?> { new ObjectResultView(HostileLeaf()) },
        };
        var host = new DictView("Deserialized.DaneTools.Core.Dane.DaneMxHostResult")
        {
            ["HostName"] = "mx.example.test", ["Preference"] = 10L, ["OutcomeText"] = "AuthFailure", ["Reason"] = "[192.0.2.25] DANE authentication failed",
            ["ExchangeOnlineNdr"] = "5.7.323 tlsa-invalid", ["AddressStatusText"] = "Secure", ["TlsaBaseDomain"] = "mx.example.test", ["TlsaStatusText"] = "Secure",
            ["RequirementText"] = "DaneAuthentication",
            ["TlsaRecords"] = new List<object?> { "3 1 1 " + new string('A', 64) }, ["UsableTlsaRecords"] = new List<object?> { "3 1 1 " + new string('A', 64) },
            ["Addresses"] = new List<object?> { address },
        };
        return new DictView("Deserialized.DaneTools.Core.Dane.DaneDomainResult")
        {
            ["DomainName"] = domain, ["StatusText"] = "Fail", ["ReasonCode"] = "NoHostCanTakeMail", ["Reason"] = reason,
            ["ExchangeOnlineStatusText"] = "Fail", ["ExchangeOnlineNdr"] = "5.7.323 tlsa-invalid", ["TlsRptResultType"] = "tlsa-invalid",
            ["TlsRptPolicyType"] = "tlsa", ["ValidationTimeUtc"] = CheckTime, ["DnsOnly"] = false, ["MxKindText"] = "Mx",
            ["MxHosts"] = new List<object?> { host }, ["Warnings"] = new List<object?>(),
        };
    }

    private static OwnerReport Build(params IResultView[] results)
    {
        var builder = new OwnerReportBuilder();
        foreach (var r in results) Assert.True(builder.TryAdd(r, out var error), error);
        return builder.Build(false, new OwnerReportSettings { ToolVersion = "0.1.0-test", GeneratedUtc = CheckTime })[0];
    }

    private static XDocument Parse(string html)
    {
        Assert.StartsWith("<!DOCTYPE html", html, StringComparison.Ordinal);
        return XDocument.Parse(html);
    }

    [Fact]
    public void ToHtml_FailingDomain_IsWellFormedXhtmlWithSummaryFixesAndSideBySide()
    {
        var doc = Parse(Build(MismatchDomain()).ToHtml());

        var summary = doc.Descendants(H + "table").Single(t => (string?)t.Attribute("class") == "summary");
        Assert.Contains("Fail", summary.Value);
        Assert.Contains("5.7.323 tlsa-invalid", summary.Value);
        Assert.Contains("tlsa-invalid", summary.Value);
        Assert.Contains("2026-12-07 12:00 UTC", summary.Value);
        var compare = doc.Descendants(H + "div").Single(d => (string?)d.Attribute("class") == "compare");
        Assert.Contains(OpenSslSpki, compare.Value);
        Assert.Contains(File.ReadAllText(DataPath("hostile-leaf.cert-sha256.txt")).Trim(), compare.Value);
        Assert.Contains("3 1 1 " + new string('A', 64), compare.Value);
        Assert.Contains("matches nothing presented", compare.Value);
        Assert.Contains("Tls13", doc.Descendants(H + "table").Single(t => (string?)t.Attribute("class") == "probe").Value);
        Assert.Contains("0.1.0-test", doc.Descendants(H + "footer").Single().Value);
    }

    [Fact]
    public void ToHtml_NoMatch_SuggestsThe311RecordOpenSslComputesForThePresentedKey()
    {
        var doc = Parse(Build(MismatchDomain()).ToHtml());

        var records = doc.Descendants(H + "pre").Where(p => (string?)p.Attribute("class") == "record").Select(p => p.Value).ToList();
        Assert.Contains($"_25._tcp.mx.example.test. IN TLSA 3 1 1 {OpenSslSpki}", records);
        var fix = doc.Descendants(H + "ol").Single().Value;
        Assert.Contains("RFC 7671 section 8.1", fix);
        Assert.Contains("publish the record for the new key first", fix);
    }

    [Fact]
    public void ToHtml_HostileCertificateSubjectAndReason_StayText()
    {
        var hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>\u0001\uD800";
        var doc = Parse(Build(MismatchDomain(reason: hostile)).ToHtml());

        Assert.Empty(doc.Descendants().Where(e => e.Name.LocalName is "script" or "img" or "iframe" or "object" or "embed" or "foreignObject"));
        Assert.Empty(doc.Descendants().Attributes().Where(a => a.Name.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
        var subject = HostileLeaf().Subject;
        Assert.Contains("script", subject);
        Assert.Contains('<', subject);
        Assert.Contains(doc.Descendants(H + "td"), td => td.Value == subject);
        Assert.Contains(doc.Descendants(H + "p"), p => p.Value.StartsWith("<img src=x onerror=alert(1)><script>alert(2)</script>\uFFFD\uFFFD", StringComparison.Ordinal));
    }

    // A TLS-RPT TXT record with markup, as the lab's xss-subject.test publishes it: the grammar rejects it (RFC 8460
    // section 3: rua is a URI, RFC 3986 has no '<'), and the report shows the record as published, as text, in both forms.
    private const string HostileTlsRpt = "v=TLSRPTv1; rua=mailto:<script>document.title='xss-txt'</script>@example.test";

    private static DictView WithTxtRecords(DictView domain)
    {
        Assert.False(TlsRptRecord.TrySelect(new[] { HostileTlsRpt }, out _, out var problem));
        domain["MtaStsMode"] = "enforce";
        domain["MtaStsPolicyId"] = "<b>id</b>";
        domain["MtaStsResultType"] = "sts-webpki-invalid";
        domain["TlsRptRecord"] = string.Empty;
        domain["TlsRptProblem"] = problem;
        domain["Outbound"] = new DictView("Deserialized.DaneTools.Core.Outbound.OutboundVerdict")
        {
            ["MtaSts"] = new DictView("Deserialized.DaneTools.Core.Sts.MtaStsPolicyResult")
            {
                ["TlsRpt"] = new DictView("Deserialized.DaneTools.Core.Sts.TlsRptLookupResult") { ["Records"] = new List<object?> { HostileTlsRpt } },
            },
        };
        domain["DaneTlsRpt"] = new List<object?>
        {
            new DictView("Deserialized.DaneTools.Core.Sts.TlsRptLookupResult")
            {
                ["PolicyDomain"] = "mx.example.test.", ["Records"] = new List<object?> { "v=TLSRPTv1; rua=mailto:tlsrpt@example.test" }, ["Problem"] = string.Empty,
            },
        };
        return domain;
    }

    [Fact]
    public void ToHtml_TlsRptRecordWithMarkup_IsShownAsPublishedAsText()
    {
        var doc = Parse(Build(WithTxtRecords(MismatchDomain())).ToHtml());

        Assert.Empty(doc.Descendants().Where(e => e.Name.LocalName is "script" or "b"));
        var table = doc.Descendants(H + "table").Single(t => (string?)t.Attribute("class") == "txt-records");
        Assert.Contains(table.Descendants(H + "pre"), p => p.Value == HostileTlsRpt);
        Assert.Contains(table.Descendants(H + "pre"), p => p.Value == "v=TLSRPTv1; rua=mailto:tlsrpt@example.test");
        Assert.Contains("_smtp._tls.mx.example.test (TLSA base domain)", table.Value);
        Assert.Contains("The record is not valid", table.Value);
        Assert.Contains("enforce", table.Value);
        Assert.Contains(table.Descendants(H + "code"), c => c.Value == "<b>id</b>");
        Assert.Contains("sts-webpki-invalid", table.Value);
    }

    [Fact]
    public void ToText_TlsRptRecordAndMtaStsPolicy_AreOneShortBlock()
    {
        var text = Build(WithTxtRecords(MismatchDomain())).ToText();

        Assert.Contains("  MTA-STS policy: mode enforce, id <b>id</b>, result sts-webpki-invalid.", text);
        Assert.Contains("  TLS-RPT at _smtp._tls.example.test (recipient domain):\n    " + HostileTlsRpt + "\n    The record is not valid", text);
        Assert.Contains("    v=TLSRPTv1; rua=mailto:tlsrpt@example.test\n", text);
    }

    [Fact]
    public void ToHtml_IsSelfContained_NoScriptNoExternalReferenceAndACspThatForbidsBoth()
    {
        var doc = Parse(Build(MismatchDomain()).ToHtml());

        Assert.Empty(doc.Descendants(H + "script"));
        Assert.Empty(doc.Descendants(H + "link"));
        Assert.Empty(doc.Descendants().Attributes().Where(a => a.Name.LocalName is "src" or "href" && !a.Value.StartsWith('#')));
        Assert.Empty(doc.Descendants().Attributes().Where(a => a.Value.StartsWith("url(", StringComparison.Ordinal) && !a.Value.StartsWith("url(#", StringComparison.Ordinal)));
        var csp = doc.Descendants(H + "meta").Single(m => (string?)m.Attribute("http-equiv") == "Content-Security-Policy");
        Assert.StartsWith("default-src 'none'", (string?)csp.Attribute("content"));
        Assert.Contains("@media print", doc.Descendants(H + "style").Single().Value);
    }

    [Fact]
    public void Css_HoldsNoCharacterTheXmlWriterWouldEscape()
    {
        // HTML does not unescape inside <style>: an escaped '>' would break the rule it is in.
        Assert.DoesNotContain('<', HtmlReportWriter.Css);
        Assert.DoesNotContain('>', HtmlReportWriter.Css);
        Assert.DoesNotContain('&', HtmlReportWriter.Css);
    }

    [Fact]
    public async Task ToHtml_DsMatchingNoKey_DrawsTheBrokenLinkWithItsReasonAndTheDsToPublish()
    {
        var fixture = FixtureCase.Load("bogus-ds-no-matching-dnskey");
        var chain = await ChainValidatorFixtureTests.RunAsync(fixture);

        var doc = Parse(Build(new ObjectResultView(chain)).ToHtml());

        var svg = Assert.Single(doc.Descendants(S + "svg"));
        var zones = svg.Descendants(S + "rect").Where(r => ((string?)r.Attribute("class"))?.StartsWith("zone", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(chain.Links.Count, zones.Count);
        Assert.Single(zones, z => ((string)z.Attribute("class")!).Contains("bogus"));
        var broken = chain.Links.Single(l => l.Status.ToString() == "Bogus");
        Assert.Contains(svg.Descendants(S + "line"), l => ((string?)l.Attribute("class"))!.Contains("bad"));
        Assert.Contains(svg.Descendants(S + "text"), t => (string?)t.Attribute("class") == "broken-label" && t.Value.Contains("NoDnskeyForDs"));
        foreach (var key in broken.Keys) Assert.Contains(svg.Descendants(S + "text"), t => t.Value.Contains($"DNSKEY {key.KeyTag} alg 13"));
        Assert.Contains(svg.Descendants(S + "text"), t => t.Value.Contains("KSK"));
        foreach (var ds in broken.DsRecords) Assert.Contains(svg.Descendants(S + "text"), t => t.Value.StartsWith($"DS {ds.KeyTag} ", StringComparison.Ordinal));
        var ksk = broken.Keys.Single(k => k.IsSecureEntryPoint);
        var records = doc.Descendants(H + "pre").Select(p => p.Value).ToList();
        Assert.Contains(records, r => r.StartsWith($"{broken.Zone} IN DS {ksk.KeyTag} 13 2 ", StringComparison.Ordinal));
    }

    [Fact]
    public void SuggestDs_KskFromARealSigner_GivesTheDsTheSignerPublishedInTheParent()
    {
        // test. KSK and the DS dnssec-signzone put into the root zone (TestData/Dnssec/secure-nxdomain-nsec/responses.txt).
        var ds = ReportReader.SuggestDs("test. 3600 IN DNSKEY 257 3 13 gKmWXWUKo5JRPYMu4q85M3Ff2ZI2GL0xwTdvnVM8KNcZfYg8m+BHkiLGyxTmOrN8XWi/3I2+2koVJVZseK8jZg==");

        Assert.Equal("test. IN DS 39130 13 2 78FBF528CC0ACD2C103D1EE94AA5A980E401F2FECE16045CBD98D7A9806A0680", ds);
    }

    [Fact]
    public void Build_ChainUnderAnMxHost_JoinsItsDomainsSection()
    {
        var chain = new DictView("Deserialized.DaneTools.Core.Dnssec.DnssecChainResult")
        {
            ["Name"] = "_25._tcp.mx.example.test.", ["TypeText"] = "TLSA", ["StatusText"] = "Secure", ["FinalName"] = "_25._tcp.mx.example.test.",
        };
        var other = new DictView("Deserialized.DaneTools.Core.Dnssec.DnssecChainResult") { ["Name"] = "elsewhere.test.", ["TypeText"] = "A", ["StatusText"] = "Secure" };

        var report = Build(MismatchDomain(), chain, other);

        Assert.Equal(new[] { "example.test", "elsewhere.test" }, report.DomainNames);
        Assert.Single(report.Domains[0].Chains);
    }

    [Fact]
    public void TryAdd_OtherObject_IsRefusedWithItsTypeName()
    {
        var builder = new OwnerReportBuilder();

        Assert.False(builder.TryAdd(new ObjectResultView("text"), out var error));
        Assert.Contains("System.String", error);
        Assert.Equal(0, builder.Count);
    }

    [Fact]
    public void ToText_Letter_NamesTheRecordAndTheOrderWithoutControlCharacters()
    {
        var raw = Build(MismatchDomain(reason: "bad\u001b[31mred\u0007")).ToText();
        var text = System.Text.RegularExpressions.Regex.Replace(raw, @"\n +", " ");

        Assert.Contains("To: the administrators of example.test (postmaster@example.test)", text);
        Assert.Contains($"_25._tcp.mx.example.test. IN TLSA 3 1 1 {OpenSslSpki}", text);
        Assert.Contains("RFC 7671 section 8.1", text);
        Assert.Contains("5.7.323 tlsa-invalid", text);
        Assert.Contains("bad?[31mred?", text);
        Assert.DoesNotContain(raw, c => char.IsControl(c) && c != '\n');
        Assert.All(raw.Split('\n'), line => Assert.True(line.Length <= 78 || line.TrimStart().StartsWith("_25._tcp.", StringComparison.Ordinal), line));
    }

    // The evidence beside each TLSA record of the only address, for a chain of an unrelated leaf (depth 0) and the
    // openssl-made certificate at depth 1, and the given records and match outcome.
    private static List<string> Evidence(string matchOutcome, string matchedRecord, long matchDepth, params string[] records)
    {
        var domain = MismatchDomain();
        var host = (DictView)((List<object?>)domain["MxHosts"]!)[0]!;
        host["TlsaRecords"] = records.Cast<object?>().ToList();
        host["UsableTlsaRecords"] = records.Cast<object?>().ToList();
        var address = (DictView)((List<object?>)host["Addresses"]!)[0]!;
        address["MatchOutcomeText"] = matchOutcome;
        address["MatchedRecord"] = matchedRecord;
        address["MatchDepth"] = matchDepth;
        var other = new DictView("Deserialized.DaneTools.Core.Dane.PresentedCertificate")
        {
            ["Position"] = 0L, ["Subject"] = "CN=leaf.example.test", ["Issuer"] = "CN=mx.example.test",
            ["SpkiSha256"] = new string('C', 64), ["CertificateSha256"] = new string('D', 64),
        };
        var ca = new ObjectResultView(HostileLeaf());
        address["PresentedChain"] = new List<object?> { other, new Positioned(ca, 1) };
        var doc = Parse(Build(domain).ToHtml());
        return doc.Descendants(H + "span").Where(e => (string?)e.Attribute("class") == "evidence").Select(e => e.Value).ToList();
    }

    [Fact]
    public void ToHtml_EachTlsaRecord_SaysWhichCertificateItsDigestEqualsAndWhyItDidNotCount()
    {
        var spki = OpenSslSpki;
        var cert = File.ReadAllText(DataPath("hostile-leaf.cert-sha256.txt")).Trim();

        var evidence = Evidence("NameMismatch", string.Empty, -1,
            "3 1 1 " + new string('A', 64), "3 1 1 " + spki, "2 0 1 " + cert, "2 1 1 " + new string('E', 64), "3 1 2 " + new string('F', 128));

        Assert.Equal(5, evidence.Count);
        Assert.Equal("matches nothing presented: the leaf's SPKI SHA-256 is " + new string('C', 64), evidence[0]);
        Assert.StartsWith("equals the SPKI SHA-256 of the certificate at depth 1 (CN=mx.example.test", evidence[1]);
        Assert.EndsWith("but DANE-EE(3) matches the leaf only (RFC 7672 section 3.1.1)", evidence[1]);
        Assert.StartsWith("equals the certificate SHA-256 of the certificate at depth 1 (CN=mx.example.test", evidence[2]);
        Assert.Contains("but did not authenticate the session: NameMismatch", evidence[2]);
        Assert.StartsWith("matches nothing presented: none of the 2 certificates the server sends has this SPKI SHA-256", evidence[3]);
        Assert.StartsWith("not compared here: the record holds a SHA-512 digest (matching type 2)", evidence[4]);
    }

    [Fact]
    public void ToHtml_MatchedTlsaRecord_NamesTheDepthAndCertificateItMatched()
    {
        var cert = File.ReadAllText(DataPath("hostile-leaf.cert-sha256.txt")).Trim();

        var evidence = Evidence("Authenticated", "2 0 1 " + cert, 1, "2 0 1 " + cert, "3 1 1 " + new string('A', 64));

        Assert.StartsWith("matched: equals the certificate SHA-256 of the certificate at depth 1 (CN=mx.example.test", evidence[0]);
        Assert.StartsWith("matches nothing presented", evidence[1]);
    }

    [Fact]
    public void Fixes_TlsaTtlInTheResult_TheRolloverWaitIsTwiceThatTtl()
    {
        var domain = MismatchDomain();
        var host = (DictView)((List<object?>)domain["MxHosts"]!)[0]!;
        host["TlsaLookups"] = new List<object?>
        {
            new DictView("Deserialized.DaneTools.Core.Dane.DaneLookupResult")
            {
                ["QueryName"] = "_25._tcp.mx.example.test", ["Type"] = "TLSA", ["StatusText"] = "Secure",
                ["Records"] = new List<object?> { "_25._tcp.mx.example.test. 300 IN TLSA 3 1 1 " + new string('A', 64) },
            },
        };

        var report = Build(domain);

        // RFC 7671 section 8.1: caches may hold the old TLSA RRset for its TTL; wait twice that (2 x 300 s).
        Assert.Contains("wait at least twice the TLSA TTL set in the zone (no less than 2 x 300 s = 10 min, from the TTL as served)", report.Domains[0].Fixes[0].Detail);
        var doc = Parse(report.ToHtml());
        Assert.Contains("TLSA record at _25._tcp.mx.example.test. (TTL 300 s as served)", doc.Descendants(H + "th").Select(t => t.Value));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Build_EarlierResultsForTheDomain_ReportTheNewestAndSinceWhenItFails(bool newestFirst)
    {
        var day1 = MismatchDomain(reason: "day 1");
        day1["StatusText"] = "Pass";
        day1["ValidationTimeUtc"] = CheckTime.AddDays(-2);
        var day2 = MismatchDomain(reason: "day 2");
        day2["ValidationTimeUtc"] = CheckTime.AddDays(-1);
        var day3 = MismatchDomain(reason: "day 3");
        var results = newestFirst ? new IResultView[] { day3, day2, day1 } : new IResultView[] { day1, day2, day3 };

        var report = Build(results);

        var domain = Assert.Single(report.Domains);
        Assert.Equal("day 3", domain.Reason);
        var summary = Parse(report.ToHtml()).Descendants(H + "table").Single(t => (string?)t.Attribute("class") == "summary");
        var row = summary.Elements(H + "tr").Single(r => r.Element(H + "th")!.Value == "Failing since");
        Assert.Equal("2026-12-06 12:00 UTC (2 failing checks in a row; the last that gave Pass was 2026-12-05 12:00 UTC).", row.Element(H + "td")!.Value);
        Assert.Contains("Failing since: 2026-12-06 12:00 UTC", report.ToText());
    }

    [Fact]
    public void Build_OnlyFailingResults_FailingSinceAtLeastTheEarliest()
    {
        var day1 = MismatchDomain();
        day1["ValidationTimeUtc"] = CheckTime.AddDays(-3);

        var report = Build(MismatchDomain(), day1);

        Assert.Equal("2026-12-04 12:00 UTC at least: all 2 results given fail (the earliest is from then).", ReportAdvisor.FailingSince(Assert.Single(report.Domains)));
        Assert.Equal(string.Empty, ReportAdvisor.FailingSince(Build(MismatchDomain()).Domains[0]));
    }

    [Fact]
    public void ToHtml_TrustAnchorNoteOnTheDomainResult_IsNamedInTheFooterWithoutAChainResult()
    {
        var domain = MismatchDomain();
        domain["TrustAnchorUsed"] = ". DS 20326, 38696 (built-in IANA root KSKs)";

        var report = Build(domain);

        Assert.Contains("Trust anchor: . DS 20326, 38696 (built-in IANA root KSKs)", Parse(report.ToHtml()).Descendants(H + "footer").Single().Value);
        Assert.Contains("Trust anchor: . DS 20326, 38696 (built-in IANA root KSKs)", report.ToText());
    }

    [Fact]
    public void ToHtml_PassingDomain_HasNothingToFixButTheRolloverOrder()
    {
        var pass = MismatchDomain();
        pass["StatusText"] = "Pass";
        pass["ExchangeOnlineNdr"] = string.Empty;
        pass["TlsRptResultType"] = string.Empty;
        pass["MxHosts"] = new List<object?>();

        var doc = Parse(Build(pass).ToHtml());

        Assert.Contains("Nothing to fix today.", doc.Descendants(H + "ol").Single().Value);
        Assert.Empty(doc.Descendants(H + "pre"));
    }

    [Fact]
    public void Fixes_PkixOnlyTlsaSet_OneFixReplacingTheUnusableRecordsWith311()
    {
        var domain = MismatchDomain();
        domain["StatusText"] = "Pass";
        var host = (DictView)((List<object?>)domain["MxHosts"]!)[0]!;
        var pkix = "1 1 1 " + new string('B', 64);
        host["OutcomeText"] = "TlsOnly";
        host["TlsaRecords"] = new List<object?> { pkix };
        host["UsableTlsaRecords"] = new List<object?>();
        host["UnusableTlsaRecords"] = new List<object?> { new DictView("Deserialized.DaneTools.Core.Dane.TlsaUnusableRecord") { ["Record"] = pkix, ["Reason"] = "PKIX-EE(1) is not used by SMTP (RFC 7672 section 3.1.3)" } };
        var address = (DictView)((List<object?>)host["Addresses"]!)[0]!;
        address["OutcomeText"] = "TlsOnly";
        address["MatchOutcomeText"] = "NoUsableRecords";

        var fixes = Build(domain).Domains[0].Fixes;

        var fix = Assert.Single(fixes);
        Assert.StartsWith("Replace the unusable TLSA records at _25._tcp.mx.example.test.", fix.Title);
        Assert.Equal(new[] { $"_25._tcp.mx.example.test. IN TLSA 3 1 1 {OpenSslSpki}" }, fix.Records);
        Assert.Contains("RFC 7672 section 3.1.3", fix.Detail);
    }

    [Fact]
    public void Warnings_ExpiringCertificateAndSha1Key_AreListed()
    {
        var domain = MismatchDomain();
        var leaf = new DictView("Deserialized.DaneTools.Core.Dane.PresentedCertificate")
        {
            ["Position"] = 0L, ["Subject"] = "CN=mx.example.test", ["NotAfterUtc"] = CheckTime.AddDays(10), ["SpkiSha256"] = OpenSslSpki,
        };
        var host = (DictView)((List<object?>)domain["MxHosts"]!)[0]!;
        var address = (DictView)((List<object?>)host["Addresses"]!)[0]!;
        address["PresentedChain"] = new List<object?> { leaf };
        var key = new DictView("Deserialized.DaneTools.Core.Dnssec.DnssecKeyInfo") { ["KeyTag"] = 1234L, ["Algorithm"] = "RsaSha1", ["Flags"] = 257L };
        var zone = new DictView("Deserialized.DaneTools.Core.Dnssec.DnssecZoneLink") { ["Zone"] = "example.test.", ["Status"] = "Secure", ["Keys"] = new List<object?> { key } };
        var chain = new DictView("Deserialized.DaneTools.Core.Dnssec.DnssecChainResult")
        {
            ["Name"] = "example.test.", ["TypeText"] = "MX", ["StatusText"] = "Secure", ["Links"] = new List<object?> { zone },
        };

        var doc = Parse(Build(domain, chain).ToHtml());

        var warnings = doc.Descendants(H + "ul").Single(u => (string?)u.Attribute("class") == "warnings").Elements().Select(e => e.Value).ToList();
        Assert.Contains(warnings, w => w.Contains("expires on 2026-12-17") && w.Contains("in 10 days"));
        Assert.Contains(warnings, w => w.Contains("DNSKEY 1234 uses algorithm 5 (RSASHA1)"));
    }

    [Fact]
    public void Svg_CnameStepsToTheTlsaBaseDomain_AreDrawnBetweenTheZonesAndTheAnswer()
    {
        var zone = new DictView("Deserialized.DaneTools.Core.Dnssec.DnssecZoneLink") { ["Zone"] = "example.test.", ["Status"] = "Secure" };
        var alias = new DictView("Deserialized.DaneTools.Core.Dnssec.DnssecAliasLink")
        {
            ["Owner"] = "_25._tcp.mx.example.test.", ["Type"] = "CNAME", ["Target"] = "_25._tcp.mail.provider.test.", ["Status"] = "Secure",
        };
        var chain = new DictView("Deserialized.DaneTools.Core.Dnssec.DnssecChainResult")
        {
            ["Name"] = "_25._tcp.mx.example.test.", ["TypeText"] = "TLSA", ["StatusText"] = "Secure", ["FinalName"] = "_25._tcp.mail.provider.test.",
            ["Links"] = new List<object?> { zone }, ["Aliases"] = new List<object?> { alias },
        };

        var svg = Parse(Build(chain).ToHtml()).Descendants(S + "svg").Single();

        var step = svg.Descendants(S + "g").Single(g => ((string?)g.Attribute("class"))!.Contains("step"));
        Assert.Contains("_25._tcp.mx.example.test CNAME _25._tcp.mail.provider.test", step.Value);
        var answer = svg.Descendants(S + "g").Single(g => ((string?)g.Attribute("class"))!.Contains("answer"));
        Assert.StartsWith("_25._tcp.mail.provider.test TLSA: Secure", answer.Elements(S + "text").First().Value);
    }

    [Theory]
    [InlineData("Example.COM", "example.com")]
    [InlineData("_25._tcp.mx.example.com.", "_25._tcp.mx.example.com")]
    [InlineData("../../etc/passwd", "_._etc_passwd")]
    [InlineData("a\\032b.example", "a_032b.example")]
    [InlineData("con", "_con")]
    [InlineData("", "report")]
    public void SafeFileStem_KeepsOnlySafeCharacters(string name, string expected)
    {
        Assert.Equal(expected, OwnerReport.SafeFileStem(name));
    }

    // A certificate view at another depth of the chain than the matcher gave it.
    private sealed class Positioned : IResultView
    {
        private readonly IResultView _inner;
        private readonly long _position;

        public Positioned(IResultView inner, long position) { _inner = inner; _position = position; }

        public IReadOnlyList<string> TypeNames => _inner.TypeNames;

        public string Text => _inner.Text;

        public object? Get(string name) => string.Equals(name, "Position", StringComparison.OrdinalIgnoreCase) ? _position : _inner.Get(name);
    }

    private sealed class DictView : Dictionary<string, object?>, IResultView
    {
        private readonly string _type;

        public DictView(string type) : base(StringComparer.OrdinalIgnoreCase) => _type = type;

        public IReadOnlyList<string> TypeNames => new[] { _type, "Deserialized.System.Object" };

        public string Text => _type;

        public object? Get(string name) => TryGetValue(name, out var v) ? v : null;
    }
}
