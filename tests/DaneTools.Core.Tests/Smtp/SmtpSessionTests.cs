using System;
using System.Net;
using System.Threading.Tasks;
using DaneTools.Core.Smtp;
using MailKit.Security;
using Xunit;

namespace DaneTools.Core.Tests.Smtp;

/// <summary>
/// The one classification of SMTP session failures (issue 19), which the STARTTLS probe and the sender share. Expected
/// classes: RFC 3207 (STARTTLS and its 454 reply), RFC 5321 3.8 (421: the service is closing, a temporary condition of
/// the server, not a refusal of TLS), RFC 7672 2.2 (after STARTTLS was asked for, a session that breaks before TLS is
/// up failed TLS; with TLS 1.3 a server's handshake alert is read only at the next reply).
/// </summary>
public sealed class SmtpSessionTests
{
    [Theory]
    [InlineData("ClosesBeforeGreeting", "ConnectionFailed", SmtpProbeOutcome.ConnectionFailed)]
    [InlineData("GreetingRefused", "ProtocolError", SmtpProbeOutcome.ProtocolError)]
    [InlineData("StartTls421", "ProtocolError", SmtpProbeOutcome.ProtocolError)]
    [InlineData("StartTls454", "StartTlsRefused", SmtpProbeOutcome.TlsHandshakeFailed)]
    [InlineData("ClosesAfterStartTls", "TlsHandshakeFailed", SmtpProbeOutcome.TlsHandshakeFailed)]
    [InlineData("ClosesInHandshake", "TlsHandshakeFailed", SmtpProbeOutcome.TlsHandshakeFailed)]
    public async Task Classify_ScriptedFailure_OneClassForSessionAndProbe(string script, string expected, SmtpProbeOutcome probeOutcome)
    {
        await using var server = ScriptedSmtpServer.Start(ScriptedSmtpServer.Named(script));
        var transcript = new SmtpTranscriptLogger();
        using var session = new SmtpSession("client.example", TimeSpan.FromSeconds(10), transcript);

        var ex = await Assert.ThrowsAnyAsync<Exception>(() =>
            session.OpenAsync(IPAddress.Loopback, server.Port, "mx.example.test", SecureSocketOptions.StartTls, default));
        var probe = await SmtpStartTlsProbe.ProbeAsync(IPAddress.Loopback, "mx.example.test",
            new SmtpProbeOptions { HeloName = "client.example", Port = server.Port, TimeoutSeconds = 10 });

        Assert.True(SmtpSession.IsSessionFailure(ex), ex.ToString());
        Assert.Equal(Enum.Parse<SmtpFailure>(expected), session.Classify(ex));
        Assert.Equal(probeOutcome, probe.Outcome);
    }

    [Fact]
    public async Task Classify_NothingListening_ConnectionFailed()
    {
        int port = LoopbackSmtp.FreePort();
        using var session = new SmtpSession("client.example", TimeSpan.FromSeconds(5), new SmtpTranscriptLogger());

        var ex = await Assert.ThrowsAnyAsync<Exception>(() =>
            session.OpenAsync(IPAddress.Loopback, port, "mx.example.test", SecureSocketOptions.StartTls, default));

        Assert.Equal(SmtpFailure.ConnectionFailed, session.Classify(ex));
    }

    [Fact]
    public async Task Classify_ServerWithoutStartTls_StartTlsNotOffered()
    {
        await using var server = await LoopbackSmtpServer.StartAsync(certificate: null);
        using var session = new SmtpSession("client.example", TimeSpan.FromSeconds(10), new SmtpTranscriptLogger());

        var ex = await Assert.ThrowsAnyAsync<Exception>(() =>
            session.OpenAsync(IPAddress.Loopback, server.Port, "mx.example.test", SecureSocketOptions.StartTls, default));

        Assert.Equal(SmtpFailure.StartTlsNotOffered, session.Classify(ex));
    }

    [Fact]
    public async Task OpenAsync_ChainRefusedByTheCheck_CertificateRejected()
    {
        using var cert = LoopbackSmtp.SelfSigned("mx.example.test");
        await using var server = await LoopbackSmtpServer.StartAsync(cert);
        using var session = new SmtpSession("client.example", TimeSpan.FromSeconds(10), new SmtpTranscriptLogger()) { AcceptChain = _ => false };

        var ex = await Assert.ThrowsAnyAsync<Exception>(() =>
            session.OpenAsync(IPAddress.Loopback, server.Port, "mx.example.test", SecureSocketOptions.StartTls, default));

        Assert.Equal(SmtpFailure.CertificateRejected, session.Classify(ex));
        Assert.Equal(cert.RawData, Assert.Single(session.PresentedChain));
    }
}
