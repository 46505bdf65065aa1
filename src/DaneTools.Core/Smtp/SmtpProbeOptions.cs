using System;
using System.Net;

namespace DaneTools.Core.Smtp;

/// <summary>Settings of one STARTTLS probe; snapshotted when the probe starts.</summary>
public sealed class SmtpProbeOptions
{
    /// <summary>Gets or sets the EHLO name. Default is the machine's fully qualified domain name.</summary>
    public string HeloName { get; set; } = DefaultHeloName();

    /// <summary>Gets or sets the TCP port. Default is 25.</summary>
    public int Port { get; set; } = 25;

    /// <summary>Gets or sets the time allowed for the whole probe (connect, EHLO, STARTTLS, EHLO, QUIT), in seconds. Default is 30.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    internal static string DefaultHeloName()
    {
        try
        {
            var host = System.Net.Dns.GetHostName();
            var domain = System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().DomainName;
            if (!string.IsNullOrEmpty(domain) && !host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase)) host += "." + domain;
            return string.IsNullOrEmpty(host) ? "localhost" : host;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException || ex is InvalidOperationException || ex is PlatformNotSupportedException)
        {
            return "localhost";
        }
    }
}
