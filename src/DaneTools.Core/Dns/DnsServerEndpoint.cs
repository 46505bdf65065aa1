using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DaneTools.Core.Dns;

/// <summary>Parses the <c>-Server</c> values: <c>address</c>, <c>address:port</c>, <c>[v6]:port</c>.</summary>
public static class DnsServerEndpoint
{
    /// <summary>Parses one server.</summary>
    /// <param name="text">An IPv4 or IPv6 address with an optional port (default 53).</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">The text is not an address, or the port is not 1-65535.</exception>
    public static IPEndPoint Parse(string text)
    {
        var s = (text ?? string.Empty).Trim();
        string host = s;
        int port = 53;
        if (s.StartsWith("[", StringComparison.Ordinal))
        {
            int close = s.IndexOf(']');
            if (close < 0) throw new FormatException($"DNS server '{text}' has an unclosed '['.");
            host = s.Substring(1, close - 1);
            var rest = s.Substring(close + 1);
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(":", StringComparison.Ordinal)) throw new FormatException($"DNS server '{text}' is not [address]:port.");
                port = ParsePort(rest.Substring(1), s);
            }
        }
        else if (s.Split(':').Length == 2)
        {
            int colon = s.IndexOf(':');
            host = s.Substring(0, colon);
            port = ParsePort(s.Substring(colon + 1), s);
        }
        if (!IPAddress.TryParse(host, out var address))
            throw new FormatException($"DNS server '{text}' is not an IP address (give the resolver's address, optionally with :port).");
        return new IPEndPoint(address, port);
    }

    private static int ParsePort(string value, string text)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port < 1 || port > 65535)
            throw new FormatException($"DNS server '{text}' has an invalid port '{value}'.");
        return port;
    }

    /// <summary>Formats an endpoint as <c>address:port</c> (<c>[v6]:port</c>).</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <returns>The text.</returns>
    public static string Format(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{endpoint.Address}]:{endpoint.Port}"
            : $"{endpoint.Address}:{endpoint.Port}";
}
