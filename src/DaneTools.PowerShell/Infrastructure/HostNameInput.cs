using DaneTools.Core;
using DaneTools.Core.Dns;

namespace DaneTools.PowerShell.Infrastructure;

/// <summary>
/// Host-name inputs (-Name, -HostName): an e-mail address or a wildcard is refused rather than quietly cut down to
/// its domain, and IDN names become A-labels as everywhere else.
/// </summary>
internal static class HostNameInput
{
    /// <summary>Normalises one host name; returns false with the reason when it is not one.</summary>
    public static bool TryNormalize(string? input, out string host, out string error)
    {
        host = string.Empty;
        var text = (input ?? string.Empty).Trim();
        if (text.Length == 0) { error = "the input is empty"; return false; }
        if (text.IndexOf('@') >= 0) { error = "an e-mail address is not a host name (give its domain to Test-DaneDomain or Get-TlsaRecord -DomainName)"; return false; }
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c)) { error = "a host name has no spaces or control characters"; return false; }
        }
        var normal = DomainNameInput.Normalize(text);
        if (normal.Kind == DomainNameInputKind.Wildcard) { error = "a wildcard names no host"; return false; }
        if (normal.Kind == DomainNameInputKind.Valid) { host = normal.DomainName!; error = string.Empty; return true; }
        // Names DNS allows beyond host-name syntax (underscores, a single label) stay as given when they parse.
        if (DnsName.TryParse(text, out var name) && name is not null && !name.IsRoot)
        {
            host = name.ToString().TrimEnd('.').ToLowerInvariant();
            error = string.Empty;
            return true;
        }
        error = normal.Error ?? "it is not a host name";
        return false;
    }
}
