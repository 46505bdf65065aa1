using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Delivery;
using DaneTools.Core.Dns;
using DaneTools.Core.Reporting;
using DaneTools.Core.Sts;
using DaneTools.Core.Tests.Smtp;
using DaneTools.Core.Tests.Sts;
using Xunit;
using static DaneTools.Core.Dnssec.DnssecStatus;

namespace DaneTools.Core.Tests.Delivery;

/// <summary>
/// Send-DaneMail's MTA-STS enforcement (RFC 8461 sections 4 and 5) against real SMTP servers on 127.0.0.x and the policy served
/// over HTTPS on 127.0.0.1 by a private test root that only these tests trust. Expected values: RFC 8461 section 4.1 (an MX host
/// no mx pattern covers is not used), 4.2 (STARTTLS, TLS 1.2+, a WebPKI certificate naming the MX host), 5 (enforce refuses,
/// testing delivers and reports, DANE decides where it applies: section 2 and DESIGN 6a), RFC 8460 section 4.3 (result types)
/// and EXCHANGE.md section 1.5 (5.4.8 for a host not listed, 5.7.5 for a certificate).
/// </summary>
public sealed partial class DaneMailSenderTests
{
    private readonly LoopbackHttps.TestCa _webPki = new();
    private LoopbackHttps? _policyHost;

    private void StsPolicy(string mode, params string[] mx)
    {
        _dns.Set("_mta-sts.dane.example", DnsRecordType.TXT, Insecure, new[] { "\"v=STSv1; id=2026120801;\"" });
        _dns.Host("mta-sts.dane.example", Insecure, "127.0.0.1");
        var body = $"version: STSv1\nmode: {mode}\n{string.Concat(mx.Select(m => $"mx: {m}\n"))}max_age: 604800\n";
        _policyHost = new LoopbackHttps(_webPki, "mta-sts.dane.example", LoopbackHttps.Reply(200, "text/plain", body));
    }

    private void Sts(DaneMailOptions o)
    {
        o.MtaStsFetch = new MtaStsFetchOptions { HttpsPort = _policyHost?.Port ?? 9, ExtraTrustRoots = new[] { _webPki.RootDer }, UseSystemTrust = false, TimeoutSeconds = 10 };
    }

    private void NoDaneHosts(params string[] hosts)
    {
        _dns.Mx(Domain, Secure, hosts.Select((h, i) => $"{10 * (i + 1)} {h}.").ToArray());
        for (int i = 0; i < hosts.Length; i++) _dns.Host(hosts[i], Secure, $"127.0.0.{11 + i}");
    }

    private async Task<(DaneMailSender Sender, DaneMailJob Job)> PrepareWithStsAsync()
    {
        var sender = new DaneMailSender(_dns);
        var message = Message();
        message.To.Add("x@dane.example");
        var options = Options(DaneMailMode.Enforce);
        Sts(options);
        return (sender, await sender.PrepareAsync(message, options));
    }

    // mx1.dane.example without DANE on 127.0.0.11, presenting a self-signed certificate (not WebPKI-valid).
    private async Task<Server> SelfSignedNoDaneHostAsync()
    {
        // Not disposed here: the server presents it until the test ends.
        var selfSigned = LoopbackSmtp.SelfSigned("mx1.dane.example");
        NoDaneHosts("mx1.dane.example");
        return await Server.StartAsync("127.0.0.11", _port, selfSigned);
    }

    private static bool SentMailFrom(DaneDeliveryAttempt a) => a.Transcript.Any(l => l.StartsWith("C: MAIL", StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task Sts_EnforceListedHostWithWebPkiCertificate_Delivers()
    {
        using var cert = _webPki.Issue("mx1.dane.example");
        await using var server = await Server.StartAsync("127.0.0.11", _port, cert);
        NoDaneHosts("mx1.dane.example");
        StsPolicy("enforce", "*.dane.example");

        var result = await SendAsync(m => m.To.Add("x@dane.example"), configure: Sts);

        Assert.Equal(DaneDeliveryStatus.Delivered, result.Status);
        Assert.Equal(MtaStsMode.Enforce, result.MtaStsPolicyMode);
        Assert.Equal(MtaStsHostOutcome.Valid, result.MtaStsOutcome);
        Assert.Equal(DaneHostOutcome.NoDane, result.DaneOutcome);
        Assert.Equal(string.Empty, result.TlsRptResultType);
        Assert.Single(server.Messages);
    }

    // RFC 8461 section 4.1: a host no pattern covers is never connected to; section 4.2: a certificate that does not name the
    // host ends the session with QUIT before MAIL FROM. Either way the next MX host is tried (section 5).
    [Theory]
    [InlineData("mx2.dane.example", "mx1.dane.example", "validation-failure", false)]
    [InlineData("*.dane.example", "other.dane.example", "certificate-host-mismatch", true)]
    public async Task Sts_EnforceRefusesTheFirstMx_TheNextMxTakesIt(string pattern, string firstCertName, string resultType, bool connected)
    {
        using var cert1 = _webPki.Issue(firstCertName);
        using var cert2 = _webPki.Issue("mx2.dane.example");
        await using var first = await Server.StartAsync("127.0.0.11", _port, cert1);
        await using var second = await Server.StartAsync("127.0.0.12", _port, cert2);
        NoDaneHosts("mx1.dane.example", "mx2.dane.example");
        StsPolicy("enforce", pattern);

        var result = await SendAsync(m => m.To.Add("x@dane.example"), configure: Sts);

        Assert.Equal(DaneDeliveryStatus.Delivered, result.Status);
        Assert.Equal("mx2.dane.example", result.HostName);
        var refused = result.Attempts[0];
        Assert.True(refused.MtaStsRefused);
        Assert.Equal(resultType, refused.MtaSts!.ResultType);
        if (connected)
        {
            Assert.Contains("C: STARTTLS", refused.Transcript);
            Assert.Contains("C: QUIT", refused.Transcript);
        }
        else
        {
            Assert.Equal(string.Empty, refused.Address);
            Assert.Empty(refused.Transcript);
        }
        Assert.False(SentMailFrom(refused));
        Assert.Empty(first.Messages);
        Assert.Single(second.Messages);
    }

    [Fact]
    public async Task Sts_EnforceOnlyHostUntrusted_Defers575AndKeepsTheEml()
    {
        await using var server = await SelfSignedNoDaneHostAsync();
        StsPolicy("enforce", "mx1.dane.example");

        var result = await SendAsync(m => m.To.Add("x@dane.example"), configure: Sts);

        Assert.Equal(DaneDeliveryStatus.Deferred, result.Status);
        Assert.Equal(DaneDeliveryReason.MtaStsRefused, result.DeliveryReason);
        Assert.Equal("MtaStsRefused", result.ReasonCode);
        Assert.StartsWith("5.7.5 Remote certificate failed MTA-STS validation. Reason: ", result.ExchangeOnlineNdr);
        Assert.Equal("certificate-not-trusted", result.TlsRptResultType);
        Assert.Contains("certificate-not-trusted", result.Reason);
        Assert.False(SentMailFrom(Assert.Single(result.Attempts)));
        Assert.Empty(server.Messages);
        Assert.True(File.Exists(result.FailedMessagePath));
    }

    [Fact]
    public async Task Sts_EnforceOnlyHostNotListed_Defers548WithoutConnecting()
    {
        NoDaneHosts("mx1.dane.example");
        StsPolicy("enforce", "mail.elsewhere.example");

        var result = await SendAsync(m => m.To.Add("x@dane.example"), configure: Sts);

        Assert.Equal(DaneDeliveryStatus.Deferred, result.Status);
        Assert.Equal(DaneDeliveryReason.MtaStsRefused, result.DeliveryReason);
        Assert.Equal("5.4.8 MX hosts of dane.example failed MTA-STS validation", result.ExchangeOnlineNdr);
        Assert.Equal("validation-failure", result.TlsRptResultType);
        Assert.Equal(string.Empty, Assert.Single(result.Attempts).Address);
        Assert.True(File.Exists(result.FailedMessagePath));
    }

    [Fact]
    public async Task Sts_EnforceHostWithoutStartTls_IsRefusedNeverPlaintext()
    {
        await using var plain = await Server.StartAsync("127.0.0.11", _port, certificate: null);
        NoDaneHosts("mx1.dane.example");
        StsPolicy("enforce", "mx1.dane.example");

        var result = await SendAsync(m => m.To.Add("x@dane.example"), configure: Sts);

        Assert.Equal(DaneDeliveryStatus.Deferred, result.Status);
        Assert.Equal("starttls-not-supported", result.TlsRptResultType);
        Assert.StartsWith("5.7.5 ", result.ExchangeOnlineNdr);
        Assert.False(SentMailFrom(Assert.Single(result.Attempts)));
        Assert.Empty(plain.Messages);
    }

    // A greeted host whose STARTTLS or handshake fails gave no TLS session: MTA-STS's starttls-not-supported (RFC 8461 section 4.2);
    // a host that never greeted is a connection failure, as without MTA-STS (DESIGN section 6a).
    [Theory]
    [InlineData("ClosesInHandshake", true, "starttls-not-supported", "5.7.5 ")]
    [InlineData("StartTls454", true, "starttls-not-supported", "5.7.5 ")]
    [InlineData("ClosesBeforeGreeting", false, "", "")]
    public async Task Sts_EnforceSessionFails_TlsFailuresAreMtaStsFailuresConnectionFailuresAreNot(string script, bool refused, string resultType, string ndr)
    {
        await using var server = ScriptedSmtpServer.Start(ScriptedSmtpServer.Named(script), "127.0.0.11", _port);
        NoDaneHosts("mx1.dane.example");
        StsPolicy("enforce", "mx1.dane.example");

        var result = await SendAsync(m => m.To.Add("x@dane.example"), configure: Sts);

        Assert.Equal(DaneDeliveryStatus.Deferred, result.Status);
        var attempt = Assert.Single(result.Attempts);
        Assert.Equal(refused, attempt.MtaStsRefused);
        Assert.Equal(refused ? DaneDeliveryReason.MtaStsRefused : DaneDeliveryReason.NoHostTookMail, result.DeliveryReason);
        if (refused)
        {
            Assert.Equal(resultType, result.TlsRptResultType);
            Assert.StartsWith(ndr, result.ExchangeOnlineNdr);
        }
        else
        {
            Assert.Equal(DaneFailureKind.ConnectionFailed, result.FailureKind);
            Assert.Null(attempt.MtaSts);
        }
    }

    [Fact]
    public async Task Sts_TestingWithFailingHost_DeliversAndReportsTheResultType()
    {
        await using var server = await SelfSignedNoDaneHostAsync();
        StsPolicy("testing", "mail.elsewhere.example");

        var result = await SendAsync(m => m.To.Add("x@dane.example"), configure: Sts);

        Assert.Equal(DaneDeliveryStatus.Delivered, result.Status);
        Assert.Equal(MtaStsMode.Testing, result.MtaStsPolicyMode);
        Assert.Equal(MtaStsHostOutcome.MxNotListed, result.MtaStsOutcome);
        Assert.Equal("validation-failure", result.TlsRptResultType);
        Assert.Contains("MTA-STS testing", result.Reason);
        Assert.Empty(result.FailedMessagePath);
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task Sts_MtaStsModeNone_IgnoresAnEnforcePolicyThatWouldRefuse()
    {
        await using var server = await SelfSignedNoDaneHostAsync();
        StsPolicy("enforce", "mail.elsewhere.example");

        var result = await SendAsync(m => m.To.Add("x@dane.example"), configure: o => { Sts(o); o.MtaStsMode = MtaStsMailMode.None; });

        Assert.Equal(DaneDeliveryStatus.Delivered, result.Status);
        Assert.Equal(MtaStsMode.NoPolicy, result.MtaStsPolicyMode);
        Assert.Null(result.MtaSts);
        Assert.False(_dns.WasQueried("_mta-sts.dane.example", DnsRecordType.TXT));
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task Sts_DanePassesAndEnforceDoesNotListTheHost_DaneDecidesAndDelivers()
    {
        // A self-signed DANE-EE certificate, as usual under DANE: a DANE pass excuses the MTA-STS failure (DESIGN 6a).
        using var cert = SelfSigned("mx1.dane.example");
        await using var server = await Server.StartAsync("127.0.0.11", _port, cert);
        Dane("mx1.dane.example", "127.0.0.11", DaneEe(cert));
        StsPolicy("enforce", "mail.elsewhere.example");

        var (sender, job) = await PrepareWithStsAsync();

        var result = await sender.DeliverAsync(job, job.Plans.Single());

        Assert.Contains("mx1.dane.example matches no mx pattern", job.Plans[0].Hosts[0]);
        Assert.Contains("DANE applies and decides", job.Plans[0].Hosts[0]);
        Assert.Equal(DaneDeliveryStatus.Delivered, result.Status);
        Assert.Equal(DaneHostOutcome.Authenticated, result.DaneOutcome);
        Assert.Equal(MtaStsMode.Enforce, result.MtaStsPolicyMode);
        Assert.Null(result.MtaStsOutcome);
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task Sts_Plan_SaysWhichHostsTheEnforcePolicyRefusesAndWhy()
    {
        NoDaneHosts("mx1.dane.example", "mx2.dane.example");
        StsPolicy("enforce", "mx2.dane.example");
        var plan = (await PrepareWithStsAsync()).Job.Plans.Single();

        Assert.True(plan.CanAttempt);
        Assert.Contains("refused by MTA-STS (enforce): mx1.dane.example matches no mx pattern", plan.Hosts[0]);
        Assert.Contains("(validation-failure), 5.4.8 MX hosts of dane.example failed MTA-STS validation", plan.Hosts[0]);
        Assert.Contains("WebPKI-valid certificate for mx2.dane.example required", plan.Hosts[1]);
        Assert.DoesNotContain("mx1.dane.example [", plan.Summary);
        Assert.Contains("via 20 mx2.dane.example", plan.Summary);
    }

    [Fact]
    public async Task Sts_Plan_EveryHostRefused_WouldNotBeSent()
    {
        NoDaneHosts("mx1.dane.example");
        StsPolicy("enforce", "mail.elsewhere.example");
        var plan = (await PrepareWithStsAsync()).Job.Plans.Single();

        Assert.False(plan.CanAttempt);
        Assert.StartsWith("x@dane.example: would not be sent: the MTA-STS policy (enforce) refuses every MX host", plan.Summary);
    }
}
