using System;
using System.Globalization;
using DaneTools.Core.Dnssec;

namespace DaneTools.Core.Dane;

/// <summary>
/// One TLSA record found in DNS, with the DNSSEC status of its RRset, its RFC 7218 mnemonics and whether an SMTP
/// client can use it (RFC 7672 3.1.3). The output of <c>Get-TlsaRecord</c>. Immutable; statuses also as text.
/// </summary>
public sealed class TlsaRecordInfo
{
    /// <summary>Creates the object.</summary>
    /// <param name="hostName">The host (TLSA base domain) asked for, without trailing dot.</param>
    /// <param name="port">The port.</param>
    /// <param name="protocol">tcp or udp.</param>
    /// <param name="ownerName">The name the records were found at, after any CNAME (with trailing dot).</param>
    /// <param name="status">The DNSSEC status of the TLSA RRset.</param>
    /// <param name="reason">Why the status is not Secure, or null.</param>
    /// <param name="ttl">The record's TTL, seconds.</param>
    /// <param name="record">The TLSA RDATA, or null when the RRset could not be read (Bogus without data).</param>
    /// <param name="domainName">The recipient domain whose MX host this is, or null when a host was asked for directly.</param>
    public TlsaRecordInfo(string hostName, int port, string protocol, string ownerName, DnssecStatus status, ValidationReason? reason,
        uint ttl, TlsaRecord? record, string? domainName = null)
    {
        DomainName = domainName;
        HostName = hostName;
        Port = port;
        Protocol = protocol;
        Name = ownerName;
        Status = status;
        ReasonDetail = reason;
        Ttl = ttl;
        Record = record;
    }

    /// <summary>Gets the recipient domain whose MX host this is (Get-TlsaRecord -DomainName), or null.</summary>
    public string? DomainName { get; }

    /// <summary>Gets the host name (TLSA base domain) asked for.</summary>
    public string HostName { get; }

    /// <summary>Gets the port.</summary>
    public int Port { get; }

    /// <summary>Gets the transport protocol label, tcp or udp.</summary>
    public string Protocol { get; }

    /// <summary>Gets the owner name of the records (<c>_25._tcp.host.</c>, or a CNAME target).</summary>
    public string Name { get; }

    /// <summary>Gets the DNSSEC status of the TLSA RRset.</summary>
    public DnssecStatus Status { get; }

    /// <summary>Gets <see cref="Status"/> as text, for JSON and CSV.</summary>
    public string StatusText => Status.ToString();

    /// <summary>Gets the reason code and sentence when the status is not Secure, else empty.</summary>
    public string Reason => ReasonDetail?.ToString() ?? string.Empty;

    /// <summary>Gets the structured reason (code, RFC 8914 EDE number, zone, record, sentence), or null.</summary>
    public ValidationReason? ReasonDetail { get; }

    /// <summary>Gets the TTL in seconds.</summary>
    public uint Ttl { get; }

    /// <summary>Gets the TLSA RDATA, or null.</summary>
    public TlsaRecord? Record { get; }

    /// <summary>Gets the certificate usage mnemonic, e.g. DANE-EE.</summary>
    public string Usage => Record is null ? string.Empty : TlsaRecord.UsageMnemonic(Record.Usage);

    /// <summary>Gets the selector mnemonic, e.g. SPKI.</summary>
    public string Selector => Record is null ? string.Empty : TlsaRecord.SelectorMnemonic(Record.Selector);

    /// <summary>Gets the matching type mnemonic, e.g. SHA2-256.</summary>
    public string MatchingType => Record is null ? string.Empty : TlsaRecord.MatchingTypeMnemonic(Record.MatchingType);

    /// <summary>Gets the certificate association data in hexadecimal.</summary>
    public string CertificateAssociationData => Record?.AssociationDataHex ?? string.Empty;

    /// <summary>Gets whether an SMTP client can authenticate with this record: DANE-TA or DANE-EE, well formed, in a Secure RRset.</summary>
    public bool IsUsableForSmtp => Record is not null && Record.IsUsableForSmtp && Status == DnssecStatus.Secure;

    /// <summary>Gets the record in zone-file form, e.g. <c>_25._tcp.mx.contoso.com. 3600 IN TLSA 3 1 1 ...</c>.</summary>
    public string Presentation => Record is null ? string.Empty : string.Format(CultureInfo.InvariantCulture, "{0} {1} IN TLSA {2}", Name, Ttl, Record);

    /// <inheritdoc/>
    public override string ToString() => Record is null ? $"{Name} {Status}" : Presentation;
}
