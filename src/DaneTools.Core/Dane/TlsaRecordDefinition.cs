using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace DaneTools.Core.Dane;

/// <summary>
/// A TLSA record made from a certificate, ready to paste into a zone: owner name, record and the certificate it
/// was made from. The output of <c>New-TlsaRecord</c>.
/// </summary>
public sealed class TlsaRecordDefinition
{
    /// <summary>Creates a definition.</summary>
    /// <param name="hostName">Host name, no trailing dot (the TLSA base domain).</param>
    /// <param name="port">TCP port, 1-65535.</param>
    /// <param name="record">The TLSA RDATA.</param>
    /// <param name="certificateSubject">Subject DN of the certificate the record was made from.</param>
    /// <param name="certificateNotAfter">Expiry of that certificate, UTC.</param>
    /// <param name="chainIndex">Position of the certificate in its file, 0 for the first (leaf).</param>
    /// <param name="certificatePath">The file the certificate came from.</param>
    public TlsaRecordDefinition(string hostName, int port, TlsaRecord record, string certificateSubject,
        DateTime certificateNotAfter, int chainIndex, string certificatePath)
    {
        HostName = hostName;
        Port = port;
        Record = record ?? throw new ArgumentNullException(nameof(record));
        CertificateSubject = certificateSubject;
        CertificateNotAfter = certificateNotAfter;
        ChainIndex = chainIndex;
        CertificatePath = certificatePath;
    }

    /// <summary>Gets the host name (TLSA base domain), without trailing dot.</summary>
    public string HostName { get; }

    /// <summary>Gets the port.</summary>
    public int Port { get; }

    /// <summary>Gets the owner name of the record, <c>_port._tcp.host.</c> (RFC 6698 section 3).</summary>
    public string Name => string.Format(CultureInfo.InvariantCulture, "_{0}._tcp.{1}.", Port, HostName);

    /// <summary>Gets the TLSA RDATA.</summary>
    public TlsaRecord Record { get; }

    /// <summary>Gets the certificate usage mnemonic (RFC 7218), e.g. DANE-EE.</summary>
    public string Usage => TlsaRecord.UsageMnemonic(Record.Usage);

    /// <summary>Gets the selector mnemonic (RFC 7218), e.g. SPKI.</summary>
    public string Selector => TlsaRecord.SelectorMnemonic(Record.Selector);

    /// <summary>Gets the matching type mnemonic (RFC 7218), e.g. SHA2-256.</summary>
    public string MatchingType => TlsaRecord.MatchingTypeMnemonic(Record.MatchingType);

    /// <summary>Gets the certificate association data in hexadecimal.</summary>
    public string CertificateAssociationData => Record.AssociationDataHex;

    /// <summary>Gets the subject DN of the certificate the record was made from.</summary>
    public string CertificateSubject { get; }

    /// <summary>Gets when that certificate expires, UTC.</summary>
    public DateTime CertificateNotAfter { get; }

    /// <summary>Gets the position of the certificate in its file (0 = first, the leaf of a chain file).</summary>
    public int ChainIndex { get; }

    /// <summary>Gets the certificate file.</summary>
    public string CertificatePath { get; }

    /// <summary>Gets the zone-file line, e.g. <c>_25._tcp.mail.example.com. IN TLSA 3 1 1 0A1B...</c>.</summary>
    public string Presentation => $"{Name} IN TLSA {Record}";

    /// <inheritdoc/>
    public override string ToString() => Presentation;

    /// <summary>
    /// Makes TLSA records from a certificate file. DANE-EE and PKIX-EE records are made from the first certificate
    /// only; DANE-TA and PKIX-TA records from every certificate in the file (one record each), so a chain file gives
    /// a record per possible trust anchor.
    /// </summary>
    /// <param name="path">A PEM file (one or more certificates, leaf first) or a DER file.</param>
    /// <param name="hostName">The host name for the owner name; a trailing dot is removed and the name lower-cased.
    /// Null or empty: the leaf's first DNS subjectAltName, else its first subject CN.</param>
    /// <param name="port">The TCP port.</param>
    /// <param name="usage">The certificate usage.</param>
    /// <param name="selector">Cert(0) or SPKI(1).</param>
    /// <param name="matchingType">Full(0), SHA2-256(1) or SHA2-512(2).</param>
    /// <returns>One definition per certificate used.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file holds no readable certificate.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The selector or matching type is not one of the defined values.</exception>
    /// <exception cref="ArgumentException"><paramref name="hostName"/> is null or empty and the leaf has neither a DNS
    /// subjectAltName nor a subject CN.</exception>
    public static IReadOnlyList<TlsaRecordDefinition> FromCertificateFile(string path, string hostName, int port,
        TlsaUsage usage, TlsaSelector selector, TlsaMatchingType matchingType)
    {
        if (path is null) throw new ArgumentNullException(nameof(path));
        if (selector > TlsaSelector.SubjectPublicKeyInfo) throw new ArgumentOutOfRangeException(nameof(selector), selector, "Only Cert(0) and SPKI(1) are defined.");
        var certs = CertificateFile.Read(path);
        var host = string.IsNullOrWhiteSpace(hostName) ? LeafName(certs[0], path) : hostName!.Trim();
        host = host.TrimEnd('.').ToLowerInvariant();
        bool taUsage = usage == TlsaUsage.DaneTa || usage == TlsaUsage.PkixTa;
        int count = taUsage ? certs.Count : 1;
        var result = new List<TlsaRecordDefinition>(count);
        for (int i = 0; i < count; i++)
        {
            var cert = certs[i];
            var content = selector == TlsaSelector.Certificate
                ? cert.GetEncoded()
                : cert.CertificateStructure.SubjectPublicKeyInfo.GetEncoded();
            var record = new TlsaRecord(usage, selector, matchingType, TlsaAssociation.Digest(matchingType, content));
            result.Add(new TlsaRecordDefinition(host, port, record, cert.SubjectDN.ToString(),
                cert.NotAfter.ToUniversalTime(), i, path));
        }
        return result;
    }

    private static string LeafName(Org.BouncyCastle.X509.X509Certificate leaf, string path)
    {
        var sans = leaf.GetSubjectAlternativeNames();
        if (sans is not null)
        {
            foreach (var san in sans)
            {
                if (san.Count >= 2 && san[0] is int type && type == Org.BouncyCastle.Asn1.X509.GeneralName.DnsName && san[1] is string dns && dns.Length > 0)
                    return dns;
            }
        }
        var cn = leaf.SubjectDN.GetValueList(Org.BouncyCastle.Asn1.X509.X509Name.CN).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        return cn ?? throw new ArgumentException($"No host name was given and the certificate in '{path}' has neither a DNS subjectAltName nor a subject CN.", "hostName");
    }
}
