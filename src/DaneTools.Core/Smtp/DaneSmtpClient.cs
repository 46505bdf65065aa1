using MailKit;
using MailKit.Net.Smtp;
#if NET8_0_OR_GREATER
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
#endif

namespace DaneTools.Core.Smtp;

/// <summary>
/// MailKit's SmtpClient with TLS session resumption turned off.
/// </summary>
/// <remarks>
/// .NET caches TLS sessions by target host name. Every address of an MX host is reached with the same SNI (the TLSA
/// base domain), so a resumed session would show the certificate another address presented (TLS 1.3 resumption sends
/// none): each address must be authenticated on its own full handshake (RFC 7672 2.2, every address is a separate
/// attempt). Seen in the lab: without this, a dual-stack host's failing IPv6 listener passed on a resumed IPv4 session.
/// The netstandard2.0 build (Windows PowerShell 5.1) cannot turn resumption off.
/// </remarks>
internal class DaneSmtpClient : SmtpClient
{
    public DaneSmtpClient(IProtocolLogger logger)
        : base(logger)
    {
    }

#if NET8_0_OR_GREATER
    protected override SslClientAuthenticationOptions GetSslClientAuthenticationOptions(string host, RemoteCertificateValidationCallback certificateValidationCallback)
    {
        var options = base.GetSslClientAuthenticationOptions(host, certificateValidationCallback);
        options.AllowTlsResume = false;
        // SslStream builds a PKIX chain for the callback whatever we do with it. DANE authenticates by the TLSA records
        // alone (RFC 7672 3.1.3: PKIX-TA and PKIX-EE are unusable), so the chain is built against an empty custom root
        // store: no system roots are loaded (on Linux, about a millisecond per connection), nothing is downloaded
        // (AIA), no revocation is checked. The certificates the server sent still reach the callback's ExtraStore.
        options.CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        return options;
    }
#endif
}
