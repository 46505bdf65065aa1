using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DaneTools.Core.Tests.Sts;

/// <summary>
/// A minimal HTTPS server on 127.0.0.1 for fetch tests (a test fixture only: TcpListener + SslStream, one scripted raw
/// response per connection). Its certificate is issued by a private test root that only the tests trust.
/// </summary>
internal sealed class LoopbackHttps : IDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2 _serverCert;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, Stream, CancellationToken, Task> _respond;

    public LoopbackHttps(TestCa ca, string certName, Func<string, Stream, CancellationToken, Task> respond, DateTimeOffset? notAfter = null)
    {
        _serverCert = ca.Issue(certName, notAfter);
        _respond = respond;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string? LastRequest { get; private set; }

    public static Func<string, Stream, CancellationToken, Task> Reply(int status, string contentType, string body, string? extraHeaders = null) =>
        async (_, stream, token) =>
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var head = $"HTTP/1.1 {status} X\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\n{extraHeaders}Connection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), token);
            await stream.WriteAsync(bytes, token);
        };

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        using var ssl = new SslStream(client.GetStream());
                        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _serverCert }, _stop.Token);
                        var head = new StringBuilder();
                        var one = new byte[1];
                        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await ssl.ReadAsync(one, _stop.Token) == 1)
                            head.Append((char)one[0]);
                        LastRequest = head.ToString();
                        await _respond(LastRequest, ssl, _stop.Token);
                        await ssl.FlushAsync(_stop.Token);
                    }
                    catch (Exception) { }
                }
            });
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _serverCert.Dispose();
    }

    /// <summary>A private root issuing server certificates with subjectAltName DNS names.</summary>
    internal sealed class TestCa : IDisposable
    {
        private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        public TestCa(string name = "DaneTools Test WebPKI Root")
        {
            var req = new CertificateRequest("CN=" + name, _key, HashAlgorithmName.SHA256);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            Root = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-90), DateTimeOffset.UtcNow.AddYears(1));
        }

        public X509Certificate2 Root { get; }

        public byte[] RootDer => Root.RawData;

        public X509Certificate2 Issue(string dnsName, DateTimeOffset? notAfter = null)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var req = new CertificateRequest("CN=" + dnsName, key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(dnsName);
            req.CertificateExtensions.Add(san.Build());
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            var serial = new byte[8];
            RandomNumberGenerator.Fill(serial);
            var end = notAfter ?? DateTimeOffset.UtcNow.AddDays(30);
            using var cert = req.Create(Root, DateTimeOffset.UtcNow.AddDays(-1), end, serial);
            using var withKey = cert.CopyWithPrivateKey(key);
            // A PKCS#12 round trip gives SslStream a key it can use on every platform.
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }

        public void Dispose()
        {
            Root.Dispose();
            _key.Dispose();
        }
    }
}
