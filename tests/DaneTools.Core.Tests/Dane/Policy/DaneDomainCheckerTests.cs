using System;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Reporting;
using DaneTools.Core.Delivery;
using DaneTools.Core.Smtp;
using Xunit;
using static DaneTools.Core.Dnssec.DnssecStatus;

namespace DaneTools.Core.Tests.Dane.Policy;

/// <summary>
/// The whole check (DaneDomainChecker.cs, .Run.cs): warnings, concurrency, options and arguments.
/// One test per row of the DESIGN section 6 decision table and per domain verdict rule, with the expected values taken
/// from that table, RFC 7672 (sections cited per test), RFC 7671 section 9, RFC 7505 and RFC 8460 section 4.3.
/// Offline: fake resolver and prober, certificates generated with BouncyCastle, clock pinned at <see cref="TestPki.Now"/>.
/// </summary>
public sealed class DaneDomainCheckerTests : DaneDomainCheckerTestBase
{
    // ---- Warnings ----

    [Fact]
    public async Task CheckAsync_RrsigExpiringWithinWindow_Warning()
    {
        SecureSingleHost();
        _dns.Set(Domain, DnsRecordType.MX, Secure, new[] { $"10 {Mx1}." }, expires: TestPki.Now.AddDays(3),
            warnings: new[] { "the zone example.com uses algorithm 5 (RSA/SHA-1), deprecated by RFC 9905" });

        var r = await Check();

        Assert.Contains(r.Warnings, w => w.StartsWith("example.com MX: an RRSIG on the validation path expires at 2026-06-04", StringComparison.Ordinal));
        Assert.Contains(r.Warnings, w => w.Contains("RSA/SHA-1"));
        Assert.Equal(DaneStatus.Pass, r.Status);
    }

    [Fact]
    public async Task CheckAsync_SameWarningOnSeveralLookups_ReportedOnce()
    {
        SecureSingleHost();
        const string sha1 = "example.com.: signed with algorithm 5 (RSA/SHA-1), deprecated by RFC 9905.";
        var soon = TestPki.Now.AddDays(2);
        _dns.Set(Domain, DnsRecordType.MX, Secure, new[] { $"10 {Mx1}." }, expires: soon, warnings: new[] { sha1 });
        _dns.Set(Mx1, DnsRecordType.A, Secure, new[] { Ip1 }, expires: soon, warnings: new[] { sha1 });

        var r = await Check();

        Assert.Single(r.Warnings, w => w == sha1);
        Assert.Single(r.Warnings, w => w.Contains("RRSIG"));
    }

    [Fact]
    public async Task CheckAsync_RrsigExpiringOutsideWindow_NoWarning()
    {
        SecureSingleHost();
        _dns.Set(Domain, DnsRecordType.MX, Secure, new[] { $"10 {Mx1}." }, expires: TestPki.Now.AddDays(30));

        var r = await Check();

        Assert.DoesNotContain(r.Warnings, w => w.Contains("RRSIG"));
    }

    [Fact]
    public async Task CheckAsync_CertificateExpiringUnderDaneTa_Warning()
    {
        var pki = new TestPki.Hierarchy(new TestPki.Spec
        {
            Subject = "CN=" + Mx1, DnsNames = new[] { Mx1 },
            NotBefore = TestPki.Now.AddDays(-80), NotAfter = TestPki.Now.AddDays(5),
        });
        SecureSingleHost(pki, p => new[] { DaneTa(p.Intermediate), DaneTa(p.Root) });

        var r = await Check();

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Contains(r.Warnings, w => w.Contains("certificate 0 (CN=mx1.example.com) expires"));
    }

    [Fact]
    public async Task CheckAsync_CertificateExpiringUnderDaneEe_WarningWithoutFailure()
    {
        var pki = new TestPki.Hierarchy(new TestPki.Spec
        {
            Subject = "CN=" + Mx1, DnsNames = new[] { Mx1 },
            NotBefore = TestPki.Now.AddDays(-80), NotAfter = TestPki.Now.AddDays(10),
        });
        SecureSingleHost(pki);

        var r = await Check();

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Contains(r.Warnings, w => w.Contains("certificate 0 (CN=mx1.example.com) expires") && w.Contains("DANE-EE ignores the date"));
    }

    [Fact]
    public async Task CheckAsync_CertificateExpiringAfterWindow_NoWarning()
    {
        SecureSingleHost(); // the leaf is valid for 60 more days

        var r = await Check();

        Assert.DoesNotContain(r.Warnings, w => w.Contains("certificate 0"));
    }

    [Fact]
    public async Task CheckAsync_SingleUsableTlsaRecord_InformationNotWarning()
    {
        // RFC 7671 sections 8.1 and 8.4: the next key's record is due one TTL before the key changes, so a single
        // DANE-EE 3 1 1 record is normal operation between rollovers: a -Verbose line, no warning (issue 15 item 7).
        SecureSingleHost();
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();

        var r = await new DaneDomainChecker(_dns, _smtp, lines.Enqueue).CheckAsync(Domain, Options());

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.DoesNotContain(r.Warnings, w => w.Contains("next key"));
        Assert.Contains(lines, l => l.StartsWith("example.com: TLSA: mx1.example.com: _25._tcp.mx1.example.com has a single usable record", StringComparison.Ordinal)
            && l.Contains("RFC 7671 section 8.1"));
    }

    [Fact]
    public async Task CheckAsync_TwoUsableRecordsBothForCurrentKey_NextKeyWarning()
    {
        // 3 1 1 and 3 0 1 of the same leaf: two records, but nothing for a next key (RFC 7671 section 8.1).
        SecureSingleHost(tlsa: p => new[] { DaneEe(p.Leaf), "3 0 1 " + Sha256Hex(p.Leaf.Der) });

        var r = await Check();

        Assert.Equal(DaneStatus.Pass, r.Status);
        Assert.Contains(r.Warnings, w => w.Contains("every usable TLSA record") && w.Contains("next key"));
    }

    [Fact]
    public async Task CheckAsync_TwoUsableTlsaRecords_NoNextKeyWarning()
    {
        SecureSingleHost(tlsa: p => new[] { DaneEe(p.Leaf), "3 1 1 " + Sha256Hex(TestPki.Issue(new TestPki.Spec()).Spki) });

        var r = await Check();

        Assert.DoesNotContain(r.Warnings, w => w.Contains("next key"));
    }

    [Fact]
    public async Task CheckAsync_InsecureMxBogusTlsa_DeferredButExchangeOnlineNotApplicable()
    {
        // RFC 7672 section 2.2.3: a failed TLSA lookup makes the host unusable; Exchange Online never asks for TLSA after an
        // insecure MX (EXCHANGE.md section 1.1), so it delivers opportunistically.
        _dns.Mx(Domain, Insecure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Set("_25._tcp." + Mx1, DnsRecordType.TLSA, Bogus);

        var r = await Check();

        Assert.Equal(DaneStatus.Deferred, r.Status);
        Assert.Equal(DaneStatus.NotApplicable, r.ExchangeOnlineStatus);
        Assert.Equal(string.Empty, r.ExchangeOnlineNdr);
        Assert.Equal(DaneHostOutcome.NoDane, r.MxHosts[0].ExchangeOnlineOutcome);
    }

    [Fact]
    public async Task CheckAsync_NullMxMixedWithOtherMx_NullMxIgnoredWithWarning()
    {
        // RFC 7505 section 3: a domain that advertises a null MX must not advertise any other MX RR.
        SecureSingleHost();
        _dns.Mx(Domain, Secure, "0 .", $"10 {Mx1}.");

        var r = await Check();

        Assert.Equal(DaneMxKind.Mx, r.MxKind);
        Assert.Equal(new[] { Mx1 }, r.MxHosts.Select(h => h.HostName));
        Assert.Contains(r.Warnings, w => w.Contains("null MX"));
        Assert.Equal(DaneStatus.Pass, r.Status);
    }

    [Fact]
    public async Task CheckAsync_ThrottleLimitOne_ProbesOneAtATime()
    {
        _dns.Mx(Domain, Secure, $"10 {Mx1}.", $"20 {Mx2}.");
        _dns.Host(Mx1, Secure, Ip1, Ip6).Host(Mx2, Secure, Ip2);
        var prober = new ConcurrencyProber();
        var options = Options();
        options.ThrottleLimit = 1;

        var r = await new DaneDomainChecker(_dns, prober).CheckAsync(Domain, options);

        Assert.Equal(3, prober.Calls);
        Assert.Equal(1, prober.MaxConcurrent);
        Assert.Equal(DaneStatus.NotApplicable, r.Status);
    }

    [Fact]
    public async Task CheckAsync_Cancelled_ThrowsOperationCanceled()
    {
        SecureSingleHost();
        using var cts = new System.Threading.CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DaneDomainChecker(_dns, _smtp).CheckAsync(Domain, Options(), cts.Token));
    }

    [Theory]
    [InlineData(0, 14, 30, 8)]
    [InlineData(65536, 14, 30, 8)]
    [InlineData(25, -1, 30, 8)]
    [InlineData(25, 14, 0, 8)]
    [InlineData(25, 14, 30, 0)]
    public async Task CheckAsync_OptionOutOfRange_ThrowsArgumentOutOfRange(int port, int days, int timeout, int throttle)
    {
        var options = new DaneCheckOptions { SmtpPort = port, ExpiryWarningDays = days, TimeoutSeconds = timeout, ThrottleLimit = throttle };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new DaneDomainChecker(_dns, _smtp).CheckAsync(Domain, options));
    }

    private sealed class ConcurrencyProber : ISmtpProber
    {
        private int _current;
        private int _max;
        private int _calls;

        public int MaxConcurrent => _max;

        public int Calls => _calls;

        public async Task<SmtpProbeResult> ProbeAsync(System.Net.IPAddress address, string serverName, SmtpProbeOptions options, System.Threading.CancellationToken cancellationToken = default)
        {
            System.Threading.Interlocked.Increment(ref _calls);
            int now = System.Threading.Interlocked.Increment(ref _current);
            int seen;
            while ((seen = _max) < now && System.Threading.Interlocked.CompareExchange(ref _max, now, seen) != seen) { }
            await Task.Delay(30, cancellationToken);
            System.Threading.Interlocked.Decrement(ref _current);
            return await new FakeSmtpProber().ProbeAsync(address, serverName, options, cancellationToken);
        }
    }

    [Fact]
    public async Task CheckAsync_Trace_OneLinePerDecisionWithDomainAndPhase()
    {
        // DESIGN section 3: -Verbose prints one line per decision: <domain>: <phase>: <fact>.
        SecureSingleHost();
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();

        await new DaneDomainChecker(_dns, _smtp, lines.Enqueue).CheckAsync(Domain, Options());

        Assert.All(lines, l => Assert.StartsWith("example.com: ", l));
        Assert.Contains("example.com: Resolve: example.com MX: Secure 1 record(s)", lines);
        Assert.Contains(lines, l => l.StartsWith("example.com: TLSA: _25._tcp.mx1.example.com TLSA: Secure 1 record(s)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("example.com: STARTTLS: mx1.example.com [192.0.2.1] SNI mx1.example.com: TlsEstablished", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("example.com: Match: mx1.example.com [192.0.2.1]: Authenticated", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("example.com: Match: mx1.example.com: Authenticated", StringComparison.Ordinal));
    }

    // ---- Options and arguments ----

    [Fact]
    public async Task CheckAsync_SmtpPort_UsedInTlsaNameAndProbe()
    {
        var pki = Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Set("_2525._tcp." + Mx1, DnsRecordType.TLSA, Secure, new[] { DaneEe(pki.Leaf) });
        _smtp.Tls(Ip1, pki.Chain());
        var options = Options();
        options.SmtpPort = 2525;

        var r = await Check(options);

        Assert.Equal(DaneStatus.Pass, r.Status);
        var call = _smtp.Calls.Single();
        Assert.Equal(2525, call.Port);
        Assert.Equal("client.test", call.HeloName);
        Assert.Equal(2525, r.MxHosts[0].Addresses[0].Port);
    }

    [Fact]
    public async Task CheckAsync_Result_SerializesToJsonWithStatusNames()
    {
        SecureSingleHost();

        var r = await Check();
        var json = System.Text.Json.JsonSerializer.Serialize(r);

        Assert.Contains("\"DomainName\":\"example.com\"", json);
        Assert.Contains("\"StatusText\":\"Pass\"", json);
        Assert.Contains("\"ExchangeOnlineStatusText\":\"Pass\"", json);
        Assert.Contains("\"OutcomeText\":\"Authenticated\"", json);
        Assert.Contains("\"SpkiSha256\":", json);
        Assert.Contains("\"ValidationTimeUtc\":\"2026-06-01T12:00:00Z\"", json);
    }

    [Fact]
    public void ResultTypes_PublicProperties_OnlyBclAndDaneToolsTypes()
    {
        // DESIGN section 10 / STYLE section 6.1: no third-party type on an output surface; no resolver reference.
        var seen = new System.Collections.Generic.HashSet<Type>();
        void Walk(Type t)
        {
            if (!seen.Add(t)) return;
            if (t.IsGenericType) { foreach (var a in t.GetGenericArguments()) Walk(a); return; }
            if (t.IsArray) { Walk(t.GetElementType()!); return; }
            var ns = t.Namespace ?? string.Empty;
            Assert.True(ns == "System" || ns.StartsWith("DaneTools.Core", StringComparison.Ordinal), $"{t.FullName} is exposed by a result type");
            Assert.False(typeof(IValidatedResolver).IsAssignableFrom(t) || typeof(ISmtpProber).IsAssignableFrom(t), $"{t} leaks a service");
            if (ns.StartsWith("DaneTools.Core", StringComparison.Ordinal) && !t.IsEnum)
                foreach (var p in t.GetProperties()) Walk(p.PropertyType);
        }

        Walk(typeof(DaneDomainResult));

        Assert.Contains(typeof(DaneAddressResult), seen);
        Assert.Contains(typeof(PresentedCertificate), seen);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("a..b")]
    public async Task CheckAsync_InvalidDomain_ThrowsArgumentException(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new DaneDomainChecker(_dns, _smtp).CheckAsync(name, Options()));
    }

    [Fact]
    public async Task CheckAsync_Result_ExposesDomainNameWithoutTrailingDot()
    {
        SecureSingleHost();

        var r = await new DaneDomainChecker(_dns, _smtp).CheckAsync("Example.COM.", Options());

        Assert.Equal(Domain, r.DomainName);
        Assert.Equal(Domain, r.MxHosts[0].DomainName);
        Assert.Equal(TestPki.Now, r.ValidationTimeUtc);
        Assert.Equal(DateTimeKind.Utc, r.ValidationTimeUtc.Kind);
    }
}
