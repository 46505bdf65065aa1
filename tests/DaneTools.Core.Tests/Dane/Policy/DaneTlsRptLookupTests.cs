using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Smtp;
using DaneTools.Core.Sts;
using Xunit;
using static DaneTools.Core.Dnssec.DnssecStatus;

namespace DaneTools.Core.Tests.Dane.Policy;

/// <summary>
/// TLS-RPT at the TLSA base domain (RFC 8460 section 1.1) for the hosts where DANE applies, looked up once per base domain
/// and started when the secure TLSA RRset is seen, beside the STARTTLS probe (issue 20). Offline: fake resolver and prober.
/// </summary>
public sealed class DaneTlsRptLookupTests : DaneDomainCheckerTestBase
{
    private const string Record = "\"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\"";

    /// <summary>Probes through the fake, first waiting (5 s at most) for the TLS-RPT query of the base domain to be asked.</summary>
    private sealed class WaitingProber : ISmtpProber
    {
        private readonly ISmtpProber _inner;
        private readonly Func<bool> _asked;

        public WaitingProber(ISmtpProber inner, Func<bool> asked) => (_inner, _asked) = (inner, asked);

        public bool AskedBeforeProbe { get; private set; }

        public async Task<SmtpProbeResult> ProbeAsync(IPAddress address, string serverName, SmtpProbeOptions options, CancellationToken cancellationToken = default)
        {
            var until = DateTime.UtcNow.AddSeconds(5);
            while (!_asked() && DateTime.UtcNow < until) await Task.Delay(10, cancellationToken);
            AskedBeforeProbe = _asked();
            return await _inner.ProbeAsync(address, serverName, options, cancellationToken);
        }
    }

    [Fact]
    public async Task SecureTlsaRrset_TlsRptOfTheBaseDomainIsAskedBeforeTheProbeAndOnce()
    {
        SecureSingleHost();
        _dns.Set("_smtp._tls." + Mx1, DnsRecordType.TXT, Secure, new[] { Record });
        var lookup = new DaneTlsRptLookup(_dns);
        var prober = new WaitingProber(_smtp, () => _dns.WasQueried("_smtp._tls." + Mx1, DnsRecordType.TXT));

        var result = await new DaneDomainChecker(lookup.Resolver, prober).CheckAsync(Domain, Options());
        var rpt = await lookup.ForResultAsync(result);

        Assert.True(prober.AskedBeforeProbe);
        Assert.Equal(DaneStatus.Pass, result.Status);
        var one = Assert.Single(rpt);
        Assert.Equal(Mx1, one.PolicyDomain);
        Assert.Equal(new[] { "mailto:tlsrpt@example.com" }, one.ReportUris);
        Assert.Single(_dns.Queries, q => q.Name == "_smtp._tls." + Mx1 && q.Type == DnsRecordType.TXT);
    }

    [Fact]
    public async Task TwoHostsWithOneTlsaBaseDomain_OneLookup()
    {
        // Both MX names are CNAMEs to one host with secure TLSA: one base domain, one TLS-RPT lookup (RFC 7672 section 2.2.3).
        var pki = Pki("mx.provider.net");
        _dns.Mx(Domain, Secure, $"10 {Mx1}.", $"20 {Mx2}.");
        _dns.HostVia(Mx1, new[] { FakeValidatedResolver.Link(Mx1, "mx.provider.net", Secure) }, Secure, Ip1);
        _dns.HostVia(Mx2, new[] { FakeValidatedResolver.Link(Mx2, "mx.provider.net", Secure) }, Secure, Ip1);
        _dns.Tlsa("mx.provider.net", Secure, DaneEe(pki.Leaf));
        _dns.Set("_smtp._tls.mx.provider.net", DnsRecordType.TXT, Secure, new[] { Record });
        _smtp.Tls(Ip1, pki.Chain());
        var lookup = new DaneTlsRptLookup(_dns);

        var result = await new DaneDomainChecker(lookup.Resolver, _smtp).CheckAsync(Domain, Options());
        var rpt = await lookup.ForResultAsync(result);

        Assert.Equal("mx.provider.net", Assert.Single(rpt).PolicyDomain);
        Assert.Single(_dns.Queries, q => q.Name == "_smtp._tls.mx.provider.net" && q.Type == DnsRecordType.TXT);
    }

    [Theory]
    [InlineData(Insecure)]
    [InlineData(Bogus)]
    public async Task NoSecureTlsaRrset_NoTlsRptLookupAtTheHost(DaneTools.Core.Dnssec.DnssecStatus tlsaStatus)
    {
        // Without a secure TLSA RRset DANE does not apply to the host, so it has no DANE TLS-RPT policy domain.
        var pki = Pki(Mx1);
        _dns.Mx(Domain, Secure, $"10 {Mx1}.");
        _dns.Host(Mx1, Secure, Ip1);
        _dns.Tlsa(Mx1, tlsaStatus, DaneEe(pki.Leaf));
        _smtp.Tls(Ip1, pki.Chain());
        var lookup = new DaneTlsRptLookup(_dns);

        var result = await new DaneDomainChecker(lookup.Resolver, _smtp).CheckAsync(Domain, Options());
        var rpt = await lookup.ForResultAsync(result);

        Assert.Empty(rpt);
        Assert.False(_dns.WasQueried("_smtp._tls." + Mx1, DnsRecordType.TXT));
    }
}
