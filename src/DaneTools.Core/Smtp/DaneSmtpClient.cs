using MailKit;
using MailKit.Net.Smtp;
#if NET8_0_OR_GREATER
using System.Net.Security;
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
internal sealed class DaneSmtpClient : SmtpClient
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
        return options;
    }
#endif
}
