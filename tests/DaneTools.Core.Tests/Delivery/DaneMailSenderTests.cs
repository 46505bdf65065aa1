using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Reporting;
using DaneTools.Core.Delivery;
using DaneTools.Core.Smtp;
using DaneTools.Core.Tests.Dane.Policy;
using DaneTools.Core.Tests.Smtp;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using Xunit;
using static DaneTools.Core.Dnssec.DnssecStatus;

namespace DaneTools.Core.Tests.Delivery;

/// <summary>
/// Delivers to real SMTP servers (the SmtpServer package) on 127.0.0.x with DNS answers from an in-memory validated
/// resolver; TLSA digests are computed with .NET's SPKI export (RFC 6698 2.1.3), independently of the matcher.
/// </summary>
public sealed partial class DaneMailSenderTests : IDisposable
{
    private const string Domain = "dane.example";
    private readonly FakeValidatedResolver _dns = new();
    private readonly string _failed = Path.Combine(Path.GetTempPath(), "danemailsender-" + Guid.NewGuid().ToString("N"));
    private readonly int _port = FreePort();

    public void Dispose()
    {
        _policyHost?.Dispose();
        _webPki.Dispose();
        if (Directory.Exists(_failed)) Directory.Delete(_failed, recursive: true);
    }

    [Fact]
    public async Task DeliverAsync_DaneEeMatch_OneTransactionWithRecipientsGroupedAndBccOnlyInEnvelope()
    {
        using var cert = SelfSigned("mx1.dane.example");
        await using var server = await Server.StartAsync("127.0.0.11", _port, cert);
        Dane("mx1.dane.example", "127.0.0.11", DaneEe(cert));

        var result = await SendAsync(m =>
        {
            m.To.Add("x@dane.example");
            m.To.Add("Y <y@DANE.example>");
            m.Bcc.Add("hidden@dane.example");
        });

        Assert.Equal(DaneDeliveryStatus.Delivered, result.Status);
        Assert.Equal(DaneHostOutcome.Authenticated, result.DaneOutcome);
        Assert.Equal("3 1 1 " + SpkiSha256(cert), result.MatchedTlsaRecord);
        Assert.StartsWith("250 ", result.ServerReply);
        Assert.NotNull(result.TlsVersion);
        Assert.Equal("127.0.0.11", result.Address);
        Assert.Empty(result.FailedMessagePath);
        var message = Assert.Single(server.Messages);
        Assert.Equal(new[] { "x@dane.example", "y@DANE.example", "hidden@dane.example" }, message.To);
        Assert.DoesNotContain("hidden", message.Headers, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Bcc:", message.Headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("C: STARTTLS", result.Transcript);
        Assert.Contains(result.Transcript, l => l.StartsWith("C: [message content:", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Transcript, l => l.Contains("secret body"));
    }

    [Fact]
    public async Task DeliverAsync_NoUsableRecordMatches_NeverSendsAndWritesTheEml()
    {
        using var cert = SelfSigned("mx1.dane.example");
        await using var server = await Server.StartAsync("127.0.0.11", _port, cert);
        Dane("mx1.dane.example", "127.0.0.11", "3 1 1 " + new string('A', 64));

        var result = await SendAsync(m => m.To.Add("x@dane.example"));

        Assert.Equal(DaneDeliveryStatus.Deferred, result.Status);
        Assert.Equal(DaneFailureKind.TlsaInvalid, result.FailureKind);
        Assert.Equal("5.7.323 tlsa-invalid", result.ExchangeOnlineNdr);
        Assert.Equal("tlsa-invalid", result.TlsRptResultType);
        Assert.Empty(server.Messages);
        Assert.DoesNotContain(result.Transcript, l => l.StartsWith("C: MAIL", StringComparison.OrdinalIgnoreCase));
        Assert.True(File.Exists(result.FailedMessagePath));
        Assert.Contains("Subject: test", File.ReadAllText(result.FailedMessagePath));
    }

    [Fact]
    public async Task DeliverAsync_PreferredDaneHostWithoutStartTls_SkipsItAndDeliversToTheNextMx()
    {
        using var cert = SelfSigned("mx2.dane.example");
        await using var plain = await Server.StartAsync("127.0.0.11", _port, certificate: null);
        await using var good = await Server.StartAsync("127.0.0.12", _port, cert);
        _dns.Mx(Domain, Secure, "10 mx1.dane.example.", "20 mx2.dane.example.");
        _dns.Host("mx1.dane.example", Secure, "127.0.0.11").Host("mx2.dane.example", Secure, "127.0.0.12");
        Tlsa("mx1.dane.example", DaneEe(cert));
        Tlsa("mx2.dane.example", DaneEe(cert));

        var result = await SendAsync(m => m.To.Add("x@dane.example"));

        Assert.Equal(DaneDeliveryStatus.Delivered, result.Status);
        Assert.Equal("mx2.dane.example", result.HostName);
        Assert.Equal(DaneFailureKind.StartTlsNotSupported, result.Attempts[0].FailureKind);
        Assert.Empty(plain.Messages);
        Assert.Single(good.Messages);
    }

    // The sender classifies session failures as the probe does (SmtpSessionTests): a 421 to STARTTLS is the server going
    // away (RFC 5321 3.8), not a TLS failure; a refused or broken STARTTLS is one (RFC 3207, RFC 7672 2.2).
    [Theory]
    [InlineData("ClosesBeforeGreeting", DaneFailureKind.ConnectionFailed)]
    [InlineData("GreetingRefused", DaneFailureKind.ConnectionFailed)]
    [InlineData("StartTls421", DaneFailureKind.ConnectionFailed)]
    [InlineData("StartTls454", DaneFailureKind.TlsHandshakeFailed)]
    [InlineData("ClosesAfterStartTls", DaneFailureKind.TlsHandshakeFailed)]
    [InlineData("ClosesInHandshake", DaneFailureKind.TlsHandshakeFailed)]
    public async Task DeliverAsync_DaneHostSessionFails_ClassifiedAsTheProbeDoes(string script, DaneFailureKind expected)
    {
        await using var server = ScriptedSmtpServer.Start(ScriptedSmtpServer.Named(script), "127.0.0.11", _port);
        Dane("mx1.dane.example", "127.0.0.11", "3 1 1 " + new string('A', 64));

        var result = await SendAsync(m => m.To.Add("x@dane.example"));

        Assert.Equal(DaneDeliveryStatus.Deferred, result.Status);
        var attempt = Assert.Single(result.Attempts);
        Assert.Equal(DaneHostOutcome.TlsFailure, attempt.Outcome);
        Assert.Equal(expected, attempt.FailureKind);
        Assert.Equal(expected, result.FailureKind);
    }

    [Fact]
    public async Task DeliverAsync_NoDaneAndNoStartTls_EnforceSendsInPlaintextMandatoryDefers()
    {
        await using var plain = await Server.StartAsync("127.0.0.11", _port, certificate: null);
        _dns.Mx(Domain, Secure, "10 mx1.dane.example.");
        _dns.Host("mx1.dane.example", Secure, "127.0.0.11");

        var enforce = await SendAsync(m => m.To.Add("x@dane.example"));
        var mandatory = await SendAsync(m => m.To.Add("x@dane.example"), DaneMailMode.Mandatory);

        Assert.Equal(DaneDeliveryStatus.Delivered, enforce.Status);
        Assert.Equal(DaneHostOutcome.NoDane, enforce.DaneOutcome);
        Assert.Null(enforce.TlsVersion);
        Assert.Equal(DaneDeliveryStatus.Deferred, mandatory.Status);
        Assert.Equal("DaneRequired", mandatory.ReasonCode);
        Assert.Equal("dane-required", mandatory.TlsRptResultType);
        Assert.True(File.Exists(mandatory.FailedMessagePath));
        Assert.Single(plain.Messages);
    }

    [Fact]
    public async Task DeliverAsync_EveryRecipientRefusedWith5xx_FailsPermanently()
    {
        using var cert = SelfSigned("mx1.dane.example");
        await using var server = await Server.StartAsync("127.0.0.11", _port, cert, acceptRecipients: false);
        Dane("mx1.dane.example", "127.0.0.11", DaneEe(cert));

        var result = await SendAsync(m => m.To.Add("x@dane.example"));

        Assert.Equal(DaneDeliveryStatus.Failed, result.Status);
        Assert.True(result.IsPermanent);
        Assert.StartsWith("5", result.ServerReply);
        Assert.Empty(server.Messages);
        Assert.True(File.Exists(result.FailedMessagePath));
    }

    [Fact]
    public async Task DeliverAsync_OneRecipientRefused_DeliversToTheOthersAndKeepsTheEml()
    {
        using var cert = SelfSigned("mx1.dane.example");
        await using var server = await Server.StartAsync("127.0.0.11", _port, cert, acceptRecipient: user => user != "gone");
        Dane("mx1.dane.example", "127.0.0.11", DaneEe(cert));

        var result = await SendAsync(m =>
        {
            m.To.Add("x@dane.example");
            m.To.Add("gone@dane.example");
        });

        Assert.Equal(DaneDeliveryStatus.Delivered, result.Status);
        Assert.Equal("PartiallyDelivered", result.ReasonCode);
        Assert.StartsWith("gone@dane.example: 5", Assert.Single(result.RejectedRecipients));
        Assert.Equal(new[] { "x@dane.example" }, Assert.Single(server.Messages).To);
        Assert.True(File.Exists(result.FailedMessagePath));
    }

    [Fact]
    public async Task DeliverAsync_4xxAfterData_IsTemporaryAndTheNextMxIsTried()
    {
        using var cert = SelfSigned("mx.dane.example");
        await using var busy = await Server.StartAsync("127.0.0.11", _port, cert, dataReply: 451);
        await using var good = await Server.StartAsync("127.0.0.12", _port, cert);
        TwoDaneHosts(cert);

        var result = await SendAsync(m => m.To.Add("x@dane.example"));

        Assert.Equal(DaneDeliveryStatus.Delivered, result.Status);
        Assert.Equal("mx2.dane.example", result.HostName);
        Assert.Equal("451", result.Attempts[0].ReplyCode);
        Assert.Single(good.Messages);
    }

    [Fact]
    public async Task DeliverAsync_4xxFromTheOnlyMx_DefersWithTheServerReply()
    {
        using var cert = SelfSigned("mx1.dane.example");
        await using var busy = await Server.StartAsync("127.0.0.11", _port, cert, dataReply: 451);
        Dane("mx1.dane.example", "127.0.0.11", DaneEe(cert));

        var result = await SendAsync(m => m.To.Add("x@dane.example"));

        Assert.Equal(DaneDeliveryStatus.Deferred, result.Status);
        Assert.False(result.IsPermanent);
        Assert.StartsWith("451 ", result.ServerReply);
        Assert.Equal("4.3.0 try again later", result.ExchangeOnlineNdr);
        Assert.True(File.Exists(result.FailedMessagePath));
    }

    [Fact]
    public async Task DeliverAsync_5xxAfterData_IsPermanentAndNoOtherMxIsTried()
    {
        using var cert = SelfSigned("mx.dane.example");
        await using var refusing = await Server.StartAsync("127.0.0.11", _port, cert, dataReply: 554);
        await using var good = await Server.StartAsync("127.0.0.12", _port, cert);
        TwoDaneHosts(cert);

        var result = await SendAsync(m => m.To.Add("x@dane.example"));

        Assert.Equal(DaneDeliveryStatus.Failed, result.Status);
        Assert.True(result.IsPermanent);
        Assert.StartsWith("554 ", result.ServerReply);
        Assert.Equal("5.7.1 message refused", result.ExchangeOnlineNdr);
        Assert.Single(result.Attempts);
        Assert.Empty(good.Messages);
        Assert.True(File.Exists(result.FailedMessagePath));
    }

    [Fact]
    public async Task DeliverAsync_BogusMx_DefersWithoutConnecting()
    {
        _dns.Mx(Domain, Bogus, "10 mx1.dane.example.");

        var result = await SendAsync(m => m.To.Add("x@dane.example"));

        Assert.Equal(DaneDeliveryStatus.Deferred, result.Status);
        Assert.Equal("5.7.324 dnssec-invalid", result.ExchangeOnlineNdr);
        Assert.Empty(result.Attempts);
        Assert.True(File.Exists(result.FailedMessagePath));
    }

    [Fact]
    public async Task DeliverAsync_NullMx_FailsPermanentlyWith5110()
    {
        _dns.Mx(Domain, Secure, "0 .");

        var result = await SendAsync(m => m.To.Add("x@dane.example"));

        Assert.Equal(DaneDeliveryStatus.Failed, result.Status);
        Assert.StartsWith("5.1.10 ", result.ExchangeOnlineNdr);
    }

    [Fact]
    public async Task PrepareAsync_RecipientsInTwoDomains_OnePlanPerDomainAndInvalidOnesListed()
    {
        _dns.Mx(Domain, Secure, "10 mx1.dane.example.");
        _dns.Mx("other.example", Secure, "10 mx1.dane.example.");
        var sender = new DaneMailSender(_dns);
        var message = Message();
        message.To.Add("a@dane.example");
        message.Cc.Add("b@other.example");
        message.Bcc.Add("c@DANE.example");
        message.To.Add("not-an-address");

        var job = await sender.PrepareAsync(message, Options(DaneMailMode.Enforce));

        Assert.Equal(new[] { "dane.example", "other.example" }, job.Plans.Select(p => p.DomainName));
        Assert.Equal(new[] { "a@dane.example", "c@DANE.example" }, job.Plans[0].RecipientAddress);
        Assert.Equal("not-an-address", Assert.Single(job.InvalidRecipients).Key);
    }

    private async Task<DaneDeliveryResult> SendAsync(Action<DaneMailMessage> recipients, DaneMailMode mode = DaneMailMode.Enforce,
        Action<DaneMailOptions>? configure = null)
    {
        var sender = new DaneMailSender(_dns);
        var message = Message();
        recipients(message);
        var options = Options(mode);
        configure?.Invoke(options);
        var job = await sender.PrepareAsync(message, options);
        return await sender.DeliverAsync(job, job.Plans.Single());
    }

    private static DaneMailMessage Message() => new() { From = "me@sender.example", Subject = "test", Body = "secret body" };

    private DaneMailOptions Options(DaneMailMode mode) => new()
    {
        SmtpPort = _port,
        HeloName = "client.example",
        TimeoutSeconds = 10,
        FailedMessagePath = _failed,
        Mode = mode,
    };

    private void Dane(string host, string address, string tlsa)
    {
        _dns.Mx(Domain, Secure, $"10 {host}.");
        _dns.Host(host, Secure, address);
        Tlsa(host, tlsa);
    }

    private void TwoDaneHosts(X509Certificate2 cert)
    {
        _dns.Mx(Domain, Secure, "10 mx1.dane.example.", "20 mx2.dane.example.");
        _dns.Host("mx1.dane.example", Secure, "127.0.0.11").Host("mx2.dane.example", Secure, "127.0.0.12");
        Tlsa("mx1.dane.example", DaneEe(cert));
        Tlsa("mx2.dane.example", DaneEe(cert));
    }

    private void Tlsa(string host, string rdata) => _dns.Set($"_{_port}._tcp.{host}", DnsRecordType.TLSA, Secure, new[] { rdata });

    private static string DaneEe(X509Certificate2 cert) => "3 1 1 " + SpkiSha256(cert);

    private static string SpkiSha256(X509Certificate2 cert) => Convert.ToHexString(SHA256.HashData(cert.PublicKey.ExportSubjectPublicKeyInfo()));

    private static int FreePort() => LoopbackSmtp.FreePort();

    private static X509Certificate2 SelfSigned(string name) => LoopbackSmtp.SelfSigned(name);

    private sealed record Received(string[] To, string Headers);

    private sealed class Server : MessageStore, IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _running = Task.CompletedTask;

        public ConcurrentQueue<Received> Messages { get; } = new();

        private int _dataReply = 250;

        public static async Task<Server> StartAsync(string address, int port, X509Certificate2? certificate, bool acceptRecipients = true,
            Func<string, bool>? acceptRecipient = null, int dataReply = 250)
        {
            var server = new Server { _dataReply = dataReply };
            var options = new SmtpServerOptionsBuilder()
                .ServerName("mx.dane.example")
                .Endpoint(builder =>
                {
                    builder.Endpoint(new IPEndPoint(IPAddress.Parse(address), port));
                    if (certificate is not null) builder.Certificate(certificate);
                })
                .Build();
            var services = new SmtpServer.ComponentModel.ServiceProvider();
            services.Add(server);
            services.Add(new DelegatingMailboxFilter((_, _) => true, (_, to, _) => acceptRecipients && (acceptRecipient?.Invoke(to.User) ?? true)));
            var smtp = new SmtpServer.SmtpServer(options, services);
            server._running = smtp.StartAsync(server._stop.Token);
            await LoopbackSmtp.WaitForListenerAsync(IPAddress.Parse(address), port);
            return server;
        }

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var text = Encoding.ASCII.GetString(buffer.ToArray());
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (_dataReply != 250) return Task.FromResult(new SmtpResponse((SmtpReplyCode)_dataReply, _dataReply < 500 ? "4.3.0 try again later" : "5.7.1 message refused"));
            Messages.Enqueue(new Received(transaction.To.Select(m => $"{m.User}@{m.Host}").ToArray(), end < 0 ? text : text.Substring(0, end)));
            return Task.FromResult(SmtpResponse.Ok);
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            try { await _running; } catch (OperationCanceledException) { }
            _stop.Dispose();
        }
    }
}
