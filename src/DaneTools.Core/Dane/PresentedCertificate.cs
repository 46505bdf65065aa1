using System;
using System.Collections.Generic;

namespace DaneTools.Core.Dane;

/// <summary>One certificate of the chain a server presented, as plain data for reports.</summary>
public sealed class PresentedCertificate
{
    private readonly byte[] _der;

    internal PresentedCertificate(int position, byte[] der, string subject, string issuer, DateTime notBeforeUtc,
        DateTime notAfterUtc, string certificateSha256, string spkiSha256, IReadOnlyList<string> dnsNames,
        IReadOnlyList<string> commonNames)
    {
        Position = position;
        _der = der;
        Subject = subject;
        Issuer = issuer;
        NotBeforeUtc = notBeforeUtc;
        NotAfterUtc = notAfterUtc;
        CertificateSha256 = certificateSha256;
        SpkiSha256 = spkiSha256;
        DnsNames = dnsNames;
        CommonNames = commonNames;
    }

    /// <summary>Gets the position in the chain as sent, 0 for the leaf.</summary>
    public int Position { get; }

    /// <summary>Gets the subject distinguished name; empty for an empty subject.</summary>
    public string Subject { get; }

    /// <summary>Gets the issuer distinguished name.</summary>
    public string Issuer { get; }

    /// <summary>Gets the start of the validity period, UTC.</summary>
    public DateTime NotBeforeUtc { get; }

    /// <summary>Gets the end of the validity period, UTC.</summary>
    public DateTime NotAfterUtc { get; }

    /// <summary>Gets the SHA-256 digest of the DER certificate, upper-case hexadecimal (the data of a <c>3 0 1</c> record).</summary>
    public string CertificateSha256 { get; }

    /// <summary>Gets the SHA-256 digest of the DER SubjectPublicKeyInfo, upper-case hexadecimal (the data of a <c>3 1 1</c> record).</summary>
    public string SpkiSha256 { get; }

    /// <summary>Gets the dNSName entries of the subjectAltName extension, in certificate order.</summary>
    public IReadOnlyList<string> DnsNames { get; }

    /// <summary>Gets the subject's common names, in certificate order.</summary>
    public IReadOnlyList<string> CommonNames { get; }

    /// <summary>Returns a copy of the DER certificate.</summary>
    /// <returns>A new array holding the certificate.</returns>
    public byte[] GetDer() => (byte[])_der.Clone();

    /// <inheritdoc/>
    public override string ToString() => $"{Position}: {Subject} (issuer {Issuer})";
}
