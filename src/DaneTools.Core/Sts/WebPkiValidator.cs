using System;
using System.Collections.Generic;
using System.Linq;
#if NET
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
#endif
using DaneTools.Core.Dane;

namespace DaneTools.Core.Sts;

/// <summary>
/// Validates a presented certificate chain under WebPKI for a host name, as RFC 8461 section 4.2 asks of both the policy
/// host and the MX hosts: the chain must reach a trusted root, every certificate be in date, and the leaf name the host in
/// a subjectAltName DNS-ID (the subject CN is not consulted; <c>*</c> only as a whole left-most label). Thread-safe.
/// </summary>
/// <remarks>
/// Trust is the operating system's store; <see cref="ExtraTrustRoots"/> adds roots (e.g. a lab CA) without touching that
/// store: a chain the system does not trust is built again against those roots alone. Revocation is not checked (RFC 8461
/// does not ask for it, and a check would reach the network). Needs .NET 5 or later; elsewhere every chain is invalid.
/// </remarks>
public sealed class WebPkiValidator
{
    private readonly List<byte[]> _extraRoots;

    /// <summary>Creates a validator.</summary>
    /// <param name="extraTrustRoots">DER roots trusted besides the system store; null for none.</param>
    /// <param name="useSystemTrust">Whether the operating system's roots are trusted. Default true.</param>
    public WebPkiValidator(IEnumerable<byte[]>? extraTrustRoots = null, bool useSystemTrust = true)
    {
        _extraRoots = (extraTrustRoots ?? Enumerable.Empty<byte[]>()).Where(r => r is not null).Select(r => (byte[])r.Clone()).ToList();
        UseSystemTrust = useSystemTrust;
    }

    /// <summary>Reads trust roots from a PEM (any number of CERTIFICATE blocks) or DER file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The DER certificates, in file order.</returns>
    /// <exception cref="System.IO.FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="System.IO.InvalidDataException">The file holds no readable certificate.</exception>
    public static IReadOnlyList<byte[]> ReadRootFile(string path) => CertificateFile.Read(path).Select(c => c.GetEncoded()).ToList();

    /// <summary>Gets the number of extra trust roots.</summary>
    public int ExtraTrustRoots => _extraRoots.Count;

    /// <summary>Gets whether the operating system's roots are trusted.</summary>
    public bool UseSystemTrust { get; }

    /// <summary>Gets whether a presented DNS-ID names <paramref name="hostName"/> (RFC 6125 section 6.4, one whole-label wildcard).</summary>
    /// <param name="dnsNames">The leaf's subjectAltName dNSName entries.</param>
    /// <param name="hostName">The reference identifier.</param>
    /// <returns>True when one entry names the host.</returns>
    public static bool NamesHost(IEnumerable<string> dnsNames, string hostName)
    {
        var reference = DnsNameMatcher.Normalize(hostName);
        return reference.Length > 0 && dnsNames.Any(n => DnsNameMatcher.NameMatches(DnsNameMatcher.Normalize(n), reference));
    }

    /// <summary>Validates a chain for a host name at a time.</summary>
    /// <param name="chain">The DER certificates as presented, leaf first.</param>
    /// <param name="hostName">The host the leaf must name.</param>
    /// <param name="validationTimeUtc">The time, UTC, at which dates are judged.</param>
    /// <returns>The verdict; never throws for a bad chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="chain"/> or <paramref name="hostName"/> is null.</exception>
    public WebPkiResult Validate(IReadOnlyList<byte[]> chain, string hostName, DateTime validationTimeUtc)
    {
        if (chain is null) throw new ArgumentNullException(nameof(chain));
        if (hostName is null) throw new ArgumentNullException(nameof(hostName));
        var host = DnsNameMatcher.Normalize(hostName);
        if (chain.Count == 0 || chain[0] is null)
            return new WebPkiResult(host, false, MtaStsResultTypes.CertificateNotTrusted, "No certificate was presented.");
#if NET
        X509Certificate2 leaf;
        try { leaf = new X509Certificate2(chain[0]); }
        catch (CryptographicException ex)
        {
            return new WebPkiResult(host, false, MtaStsResultTypes.CertificateNotTrusted, $"The leaf certificate is not DER X.509 ({ex.Message}).");
        }
        using (leaf)
        {
            var names = DnsNames(leaf);
            if (!NamesHost(names, host))
            {
                var shown = names.Count == 0 ? "no subjectAltName DNS names" : "DNS names " + string.Join(", ", names);
                return new WebPkiResult(host, false, MtaStsResultTypes.CertificateHostMismatch, $"The certificate ({shown}) does not name {host}.");
            }
            var when = validationTimeUtc.Kind == DateTimeKind.Local ? validationTimeUtc.ToUniversalTime() : DateTime.SpecifyKind(validationTimeUtc, DateTimeKind.Utc);
            if (when < leaf.NotBefore.ToUniversalTime() || when > leaf.NotAfter.ToUniversalTime())
                return new WebPkiResult(host, false, MtaStsResultTypes.CertificateExpired,
                    $"The certificate is valid from {leaf.NotBefore.ToUniversalTime():u} to {leaf.NotAfter.ToUniversalTime():u}, not at {when:u}.");
            var intermediates = new List<X509Certificate2>();
            try
            {
                foreach (var der in chain.Skip(1))
                {
                    try { intermediates.Add(new X509Certificate2(der)); }
                    catch (CryptographicException) { } // an unreadable extra certificate only fails to help path building
                }
                string? failure = UseSystemTrust ? Build(leaf, intermediates, when, custom: false) : "the system store is not used";
                if (failure is not null && _extraRoots.Count > 0) failure = Build(leaf, intermediates, when, custom: true) is { } f2 ? f2 : null;
                if (failure is not null)
                {
                    var type = failure.IndexOf("NotTimeValid", StringComparison.Ordinal) >= 0 ? MtaStsResultTypes.CertificateExpired : MtaStsResultTypes.CertificateNotTrusted;
                    return new WebPkiResult(host, false, type, $"The chain does not validate: {failure}.");
                }
            }
            finally
            {
                foreach (var c in intermediates) c.Dispose();
            }
            return new WebPkiResult(host, true, string.Empty, $"The chain is trusted, in date and names {host}.");
        }
#else
        return new WebPkiResult(host, false, MtaStsResultTypes.CertificateNotTrusted, "WebPKI validation needs .NET 5 or later.");
#endif
    }

#if NET
    /// <summary>Reads the subjectAltName dNSName entries of a certificate.</summary>
    internal static List<string> DnsNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var ext in certificate.Extensions)
        {
            if (ext is X509SubjectAlternativeNameExtension san)
            {
                try { names.AddRange(san.EnumerateDnsNames()); }
                catch (CryptographicException) { }
            }
        }
        return names;
    }

    // Returns null when the chain builds and validates, else the chain status flags.
    private string? Build(X509Certificate2 leaf, List<X509Certificate2> intermediates, DateTime when, bool custom)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.VerificationTime = when.ToLocalTime();
        policy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1")); // id-kp-serverAuth
        policy.ExtraStore.AddRange(intermediates.ToArray());
        var roots = new List<X509Certificate2>();
        try
        {
            if (custom)
            {
                policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                foreach (var der in _extraRoots)
                {
                    try { roots.Add(new X509Certificate2(der)); }
                    catch (CryptographicException) { }
                }
                policy.CustomTrustStore.AddRange(roots.ToArray());
            }
            if (chain.Build(leaf)) return null;
            var flags = chain.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToList();
            return flags.Count == 0 ? "unknown chain error" : string.Join(", ", flags);
        }
        finally
        {
            foreach (var r in roots) r.Dispose();
        }
    }
#endif
}
