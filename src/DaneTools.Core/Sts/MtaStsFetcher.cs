using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dane;
#if NET
using System.IO;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
#endif

namespace DaneTools.Core.Sts;

/// <summary>
/// Fetches <c>https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt</c> as RFC 8461 section 3.3 asks: HttpClient over a
/// SocketsHttpHandler that connects only to the addresses DaneTools resolved itself, SNI <c>mta-sts.&lt;domain&gt;</c>, TLS
/// 1.2 or later, redirects not followed, no cookies or proxy, only status 200, the body bounded in size and the whole fetch
/// in time. The server's chain is captured and judged by <see cref="WebPkiValidator"/> (a WebPKI failure is reported, the
/// body discarded). Thread-safe; every failure is a result, never an exception, except cancellation.
/// </summary>
public static class MtaStsFetcher
{
    /// <summary>The well-known path of the policy.</summary>
    public const string WellKnownPath = "/.well-known/mta-sts.txt";

    /// <summary>Fetches the policy of <paramref name="domain"/> from the given addresses (tried in order).</summary>
    /// <param name="domain">The policy domain (A-label, no trailing dot).</param>
    /// <param name="addresses">The addresses of <c>mta-sts.&lt;domain&gt;</c>, resolved by the caller.</param>
    /// <param name="options">Limits and trust; null for defaults.</param>
    /// <param name="trace">Receives one line per step; null for none.</param>
    /// <param name="cancellationToken">Cancels the fetch (Ctrl+C).</param>
    /// <returns>The fetch result.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<MtaStsFetchResult> FetchAsync(string domain, IReadOnlyList<IPAddress> addresses, MtaStsFetchOptions? options = null,
        Action<string>? trace = null, CancellationToken cancellationToken = default)
    {
        options ??= new MtaStsFetchOptions();
        var host = "mta-sts." + domain;
        var url = "https://" + host + (options.HttpsPort == 443 ? string.Empty : ":" + options.HttpsPort) + WellKnownPath;
        MtaStsFetchResult Fail(string message, string? address = null, int? status = null, string? contentType = null, string? location = null,
            IReadOnlyList<PresentedCertificate>? chain = null, WebPkiResult? webPki = null, string type = MtaStsResultTypes.PolicyFetchError) =>
            new(url, address, status, contentType, location, null, chain ?? Array.Empty<PresentedCertificate>(), webPki,
                new MtaStsProblem(type, message), Array.Empty<string>());
        if (addresses is null || addresses.Count == 0) return Fail($"{host} has no address.");
#if NET
        var validator = new WebPkiValidator(options.ExtraTrustRoots, options.UseSystemTrust);
        var when = options.ValidationTime ?? DateTime.UtcNow;
        List<byte[]>? presented = null;
        WebPkiResult? webPki = null;
        string? connected = null;
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxResponseHeadersLength = 64,
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectCallback = async (context, token) =>
            {
                Exception? last = null;
                foreach (var address in addresses)
                {
                    var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        trace?.Invoke($"Connecting to {address} port {options.HttpsPort} for {host}");
                        await socket.ConnectAsync(new IPEndPoint(address, options.HttpsPort), token).ConfigureAwait(false);
                        connected = address.ToString();
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch (SocketException ex)
                    {
                        socket.Dispose();
                        last = ex;
                        trace?.Invoke($"{address}: {ex.Message}");
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                }
                throw new HttpRequestException($"No address of {host} accepted a connection ({last?.Message}).", last);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = host,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                // Capture the chain as sent and judge it ourselves (extra roots, SAN-only names); the verdict decides below.
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    if (certificate is null) return false;
                    var list = new List<byte[]> { certificate.Export(X509ContentType.Cert) };
                    if (chain is not null)
                        list.AddRange(chain.ChainPolicy.ExtraStore.Cast<X509Certificate2>().Select(c => c.RawData).Where(d => !d.AsSpan().SequenceEqual(list[0])));
                    presented = list;
                    webPki = validator.Validate(list, host, when);
                    trace?.Invoke($"Policy host certificate: {webPki}");
                    return true;
                },
            },
        };
        using var client = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, options.TimeoutSeconds)));
        IReadOnlyList<PresentedCertificate> Described() => presented is null ? Array.Empty<PresentedCertificate>() : presented.Select(Describe).ToList();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true, NoStore = true };
            trace?.Invoke($"GET {url}");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            var contentType = response.Content.Headers.ContentType?.ToString();
            var location = response.Headers.Location?.ToString();
            trace?.Invoke($"HTTP {status} from {connected}, Content-Type {contentType ?? "(none)"}");
            if (webPki is { IsValid: false })
                return Fail($"The certificate of {host} failed WebPKI validation: {webPki.Reason}", connected, status, contentType, location, Described(), webPki, MtaStsResultTypes.WebPkiInvalid);
            if (status is >= 300 and < 400)
                return Fail($"HTTP {status} redirect{(location is null ? string.Empty : " to " + location)}: RFC 8461 section 3.3 forbids following it.", connected, status, contentType, location, Described(), webPki);
            if (status != 200) return Fail($"HTTP {status} from {url}: only 200 is accepted.", connected, status, contentType, location, Described(), webPki);
            if (response.Content.Headers.ContentLength is long declared && declared > options.MaxBodyBytes)
                return Fail($"The policy is {declared} bytes, over the {options.MaxBodyBytes}-byte limit.", connected, status, contentType, location, Described(), webPki);
            using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(chunk.AsMemory(), timeout.Token).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > options.MaxBodyBytes)
                    return Fail($"The policy is over the {options.MaxBodyBytes}-byte limit.", connected, status, contentType, location, Described(), webPki);
            }
            string body;
            try { body = new UTF8Encoding(false, true).GetString(buffer.ToArray()); }
            catch (DecoderFallbackException)
            {
                return Fail("The policy is not UTF-8 text.", connected, status, contentType, location, Described(), webPki, MtaStsResultTypes.PolicyInvalid);
            }
            var warnings = new List<string>();
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (!string.Equals(mediaType, "text/plain", StringComparison.OrdinalIgnoreCase))
                warnings.Add($"The policy's media type is '{mediaType ?? "(none)"}', not text/plain (RFC 8461 section 3.2).");
            trace?.Invoke($"Policy body: {buffer.Length} bytes");
            return new MtaStsFetchResult(url, connected, status, contentType, location, body, Described(), webPki, null, warnings);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail($"The fetch of {url} took longer than {options.TimeoutSeconds} s.", connected, chain: Described(), webPki: webPki);
        }
        catch (HttpRequestException ex)
        {
            var inner = ex.InnerException is AuthenticationException auth ? $" (TLS: {auth.Message})" : string.Empty;
            return Fail($"The fetch of {url} failed: {ex.Message}{inner}", connected, chain: Described(), webPki: webPki);
        }
        catch (IOException ex)
        {
            return Fail($"The fetch of {url} failed: {ex.Message}", connected, chain: Described(), webPki: webPki);
        }
#else
        await Task.CompletedTask.ConfigureAwait(false);
        return Fail("Fetching MTA-STS policies needs .NET 5 or later.");
#endif
    }

#if NET
    /// <summary>Describes one DER certificate for reports.</summary>
    internal static PresentedCertificate Describe(byte[] der, int position)
    {
        try
        {
            using var c = new X509Certificate2(der);
            var spki = c.PublicKey.ExportSubjectPublicKeyInfo();
            var cn = c.GetNameInfo(X509NameType.SimpleName, false);
            return new PresentedCertificate(position, der, c.Subject, c.Issuer, c.NotBefore.ToUniversalTime(), c.NotAfter.ToUniversalTime(),
                Hex.Encode(SHA256.HashData(der)), Hex.Encode(SHA256.HashData(spki)), WebPkiValidator.DnsNames(c),
                string.IsNullOrEmpty(cn) ? Array.Empty<string>() : new[] { cn });
        }
        catch (CryptographicException)
        {
            return new PresentedCertificate(position, der, string.Empty, string.Empty, DateTime.MinValue, DateTime.MinValue,
                Hex.Encode(SHA256.HashData(der)), string.Empty, Array.Empty<string>(), Array.Empty<string>());
        }
    }
#endif
}
