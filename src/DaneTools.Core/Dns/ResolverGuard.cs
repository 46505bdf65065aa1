using System;
using System.Net;
using System.Net.Sockets;

namespace DaneTools.Core.Dns;

/// <summary>
/// Refuses DNS servers outside the machine and the lab while tests run, so a forgotten <c>-Server</c> fails loudly
/// instead of querying the host's resolver (DESIGN.md section 4).
/// </summary>
/// <remarks>
/// On when the environment variable <c>DANETOOLS_LOCAL_DNS_ONLY</c> is <c>1</c> (the test runner sets it). Allowed
/// then: 127.0.0.0/8, ::1 and the lab's private IPv6 prefix fd00:da4e::/32.
/// </remarks>
public static class ResolverGuard
{
    /// <summary>The environment variable that turns the guard on.</summary>
    public const string EnvironmentVariable = "DANETOOLS_LOCAL_DNS_ONLY";

    /// <summary>Gets whether the guard is on.</summary>
    public static bool IsEnabled => Environment.GetEnvironmentVariable(EnvironmentVariable) == "1";

    /// <summary>Gets whether an address is on this machine or in the lab.</summary>
    /// <param name="address">The address.</param>
    /// <returns>True for loopback and the lab prefix.</returns>
    public static bool IsLocal(IPAddress address)
    {
        if (address is null) throw new ArgumentNullException(nameof(address));
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return b[0] == 0xfd && b[1] == 0x00 && b[2] == 0xda && b[3] == 0x4e;
        }
        return false;
    }

    /// <summary>Throws when the guard is on and the server is not local.</summary>
    /// <param name="server">The server about to be asked.</param>
    /// <exception cref="InvalidOperationException">The guard is on and the server is outside the machine and the lab.</exception>
    public static void Check(IPEndPoint server)
    {
        if (IsEnabled && !IsLocal(server.Address))
        {
            throw new InvalidOperationException(
                $"DNS server {DnsServerEndpoint.Format(server)} refused: {EnvironmentVariable}=1 allows only 127.0.0.0/8, ::1 and the lab (fd00:da4e::/32). Name the lab's resolver with -Server.");
        }
    }
}
