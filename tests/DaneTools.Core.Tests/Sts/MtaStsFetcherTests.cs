using System;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Sts;
using Xunit;

namespace DaneTools.Core.Tests.Sts;

/// <summary>
/// The HTTPS fetch of RFC 8461 section 3.3 against a loopback server: only 200, redirects not followed, size and time
/// limits, the media type (a warning), WebPKI for mta-sts.&lt;domain&gt; (sts-webpki-invalid, RFC 8460 section 4.3.2).
/// </summary>
public sealed class MtaStsFetcherTests : IDisposable
{
    private const string Domain = "example.com";
    private const string Policy = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n";
    private readonly LoopbackHttps.TestCa _ca = new();

    public void Dispose() => _ca.Dispose();

    private MtaStsFetchOptions Options(LoopbackHttps server, int timeoutSeconds = 10) =>
        new() { HttpsPort = server.Port, ExtraTrustRoots = new[] { _ca.RootDer }, TimeoutSeconds = timeoutSeconds };

    private static Task<MtaStsFetchResult> Fetch(MtaStsFetchOptions options) =>
        MtaStsFetcher.FetchAsync(Domain, new[] { IPAddress.Loopback }, options);

    [Fact]
    public async Task Fetch_200TextPlain_GivesBodyChainAndSni()
    {
        using var server = new LoopbackHttps(_ca, "mta-sts.example.com", LoopbackHttps.Reply(200, "text/plain", Policy));
        var r = await Fetch(Options(server));
        Assert.True(r.Succeeded, r.Problem?.ToString());
        Assert.Equal(200, r.HttpStatus);
        Assert.Equal(Policy, r.Body);
        Assert.True(r.WebPki!.IsValid);
        Assert.Equal("mta-sts.example.com", Assert.Single(r.Chain).DnsNames[0]);
        Assert.Empty(r.Warnings);
        Assert.StartsWith("GET /.well-known/mta-sts.txt HTTP/1.1", server.LastRequest);
        Assert.Contains($"Host: mta-sts.example.com:{server.Port}", server.LastRequest);
    }

    [Fact]
    public async Task Fetch_OtherMediaType_Warns()
    {
        using var server = new LoopbackHttps(_ca, "mta-sts.example.com", LoopbackHttps.Reply(200, "text/html", Policy));
        var r = await Fetch(Options(server));
        Assert.True(r.Succeeded);
        Assert.Contains("text/plain", Assert.Single(r.Warnings));
    }

    [Theory]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(204)]
    public async Task Fetch_StatusNot200_IsFetchError(int status)
    {
        using var server = new LoopbackHttps(_ca, "mta-sts.example.com", LoopbackHttps.Reply(status, "text/plain", status == 204 ? string.Empty : "x"));
        var r = await Fetch(Options(server));
        Assert.False(r.Succeeded);
        Assert.Equal(status, r.HttpStatus);
        Assert.Equal(MtaStsResultTypes.PolicyFetchError, r.Problem!.ResultType);
        Assert.Null(r.Body);
    }

    [Fact]
    public async Task Fetch_Redirect_IsNotFollowed()
    {
        using var server = new LoopbackHttps(_ca, "mta-sts.example.com",
            LoopbackHttps.Reply(301, "text/plain", string.Empty, "Location: https://mta-sts.example.com/elsewhere.txt\r\n"));
        var r = await Fetch(Options(server));
        Assert.Equal(301, r.HttpStatus);
        Assert.Equal(MtaStsResultTypes.PolicyFetchError, r.Problem!.ResultType);
        Assert.Equal("https://mta-sts.example.com/elsewhere.txt", r.Location);
        Assert.Contains("redirect", r.Problem.Message);
    }

    [Fact]
    public async Task Fetch_OverSizeLimit_IsFetchError()
    {
        using var server = new LoopbackHttps(_ca, "mta-sts.example.com", LoopbackHttps.Reply(200, "text/plain", Policy + new string('#', 70000)));
        var r = await Fetch(Options(server));
        Assert.Equal(MtaStsResultTypes.PolicyFetchError, r.Problem!.ResultType);
        Assert.Contains("65536", r.Problem.Message);
    }

    [Fact]
    public async Task Fetch_OverSizeLimitWithoutContentLength_StopsReading()
    {
        using var server = new LoopbackHttps(_ca, "mta-sts.example.com", async (_, stream, token) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"), token);
            var chunk = Encoding.ASCII.GetBytes(new string('#', 4096));
            for (int i = 0; i < 2560 && !token.IsCancellationRequested; i++) await stream.WriteAsync(chunk, token); // 10 MB
        });
        var options = Options(server);
        options.MaxBodyBytes = 1000;
        var r = await Fetch(options);
        Assert.Equal(MtaStsResultTypes.PolicyFetchError, r.Problem!.ResultType);
        Assert.Contains("1000-byte", r.Problem.Message);
    }

    [Fact]
    public async Task Fetch_SlowServer_TimesOut()
    {
        using var server = new LoopbackHttps(_ca, "mta-sts.example.com", async (_, stream, token) => await Task.Delay(TimeSpan.FromSeconds(30), token));
        var started = DateTime.UtcNow;
        var r = await Fetch(Options(server, timeoutSeconds: 1));
        Assert.Equal(MtaStsResultTypes.PolicyFetchError, r.Problem!.ResultType);
        Assert.Contains("longer than 1 s", r.Problem.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Fetch_WrongCertificateName_IsWebPkiInvalid()
    {
        using var server = new LoopbackHttps(_ca, "www.example.com", LoopbackHttps.Reply(200, "text/plain", Policy));
        var r = await Fetch(Options(server));
        Assert.Equal(MtaStsResultTypes.WebPkiInvalid, r.Problem!.ResultType);
        Assert.Equal(MtaStsResultTypes.CertificateHostMismatch, r.WebPki!.ResultType);
        Assert.Null(r.Body);
    }

    [Fact]
    public async Task Fetch_UntrustedRoot_IsWebPkiInvalid()
    {
        using var server = new LoopbackHttps(_ca, "mta-sts.example.com", LoopbackHttps.Reply(200, "text/plain", Policy));
        var options = Options(server);
        options.ExtraTrustRoots = Array.Empty<byte[]>();
        var r = await Fetch(options);
        Assert.Equal(MtaStsResultTypes.WebPkiInvalid, r.Problem!.ResultType);
        Assert.Equal(MtaStsResultTypes.CertificateNotTrusted, r.WebPki!.ResultType);
    }

    [Fact]
    public async Task Fetch_ConnectionRefused_IsFetchError()
    {
        int port;
        using (var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0)) { l.Start(); port = ((IPEndPoint)l.LocalEndpoint).Port; l.Stop(); }
        var r = await Fetch(new MtaStsFetchOptions { HttpsPort = port, TimeoutSeconds = 10 });
        Assert.Equal(MtaStsResultTypes.PolicyFetchError, r.Problem!.ResultType);
        Assert.Null(r.HttpStatus);
    }

    [Fact]
    public async Task Fetch_NoAddress_IsFetchError()
    {
        var r = await MtaStsFetcher.FetchAsync(Domain, Array.Empty<IPAddress>());
        Assert.Equal(MtaStsResultTypes.PolicyFetchError, r.Problem!.ResultType);
    }

    [Fact]
    public async Task Fetch_Cancelled_Throws()
    {
        using var server = new LoopbackHttps(_ca, "mta-sts.example.com", async (_, stream, token) => await Task.Delay(TimeSpan.FromSeconds(30), token));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => MtaStsFetcher.FetchAsync(Domain, new[] { IPAddress.Loopback }, Options(server), null, cts.Token));
    }
}
