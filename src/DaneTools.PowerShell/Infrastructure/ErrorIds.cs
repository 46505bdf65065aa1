namespace DaneTools.PowerShell.Infrastructure;

/// <summary>
/// The FullyQualifiedErrorId prefixes of every ErrorRecord DaneTools writes (about_DaneTools lists them).
/// PowerShell appends <c>,DaneTools.PowerShell.Commands.&lt;Class&gt;</c>.
/// </summary>
public static class ErrorIds
{
    /// <summary>The resolver (or the root servers, resolving iteratively) did not answer the path check: the run stops at once.</summary>
    public const string ResolverUnreachable = nameof(ResolverUnreachable);

    /// <summary>-Resolution Recursive with a resolver that returns no RRSIGs.</summary>
    public const string ResolverNotDnssecAware = nameof(ResolverNotDnssecAware);

    /// <summary>The trust anchor does not match the keys served for its zone: a local configuration error, not the recipients'.</summary>
    public const string TrustAnchorMismatch = nameof(TrustAnchorMismatch);

    /// <summary>The trust anchor zone's signatures are not valid at the validation time (this machine's clock, or -ValidationTime).</summary>
    public const string ClockOutsideSignatureWindow = nameof(ClockOutsideSignatureWindow);

    /// <summary>Resolver timeout, SERVFAIL or REFUSED.</summary>
    public const string DnsQueryFailed = nameof(DnsQueryFailed);

    /// <summary>Validated NXDOMAIN for a recipient domain (Send-DaneMail).</summary>
    public const string DomainNotFound = nameof(DomainNotFound);

    /// <summary>No TLSA at <c>_port._tcp.host</c> (Get-TlsaRecord).</summary>
    public const string TlsaRecordNotFound = nameof(TlsaRecordNotFound);

    /// <summary>Malformed TLSA RDATA or unknown parameters.</summary>
    public const string InvalidTlsaRecord = nameof(InvalidTlsaRecord);

    /// <summary>Bogus chain where a secure answer is required.</summary>
    public const string DnssecValidationFailed = nameof(DnssecValidationFailed);

    /// <summary>Trust anchor unreadable or without a usable key (terminating).</summary>
    public const string TrustAnchorInvalid = nameof(TrustAnchorInvalid);

    /// <summary>TCP connect or banner failure.</summary>
    public const string SmtpConnectionFailed = nameof(SmtpConnectionFailed);

    /// <summary>EHLO lacks STARTTLS while DANE requires TLS.</summary>
    public const string StartTlsNotOffered = nameof(StartTlsNotOffered);

    /// <summary>TLS handshake error.</summary>
    public const string TlsHandshakeFailed = nameof(TlsHandshakeFailed);

    /// <summary>No usable TLSA record matches the presented chain.</summary>
    public const string DaneAuthenticationFailed = nameof(DaneAuthenticationFailed);

    /// <summary>4xx/5xx reply to MAIL, RCPT or DATA.</summary>
    public const string SmtpCommandRejected = nameof(SmtpCommandRejected);

    /// <summary>Unparsable e-mail address.</summary>
    public const string InvalidRecipientAddress = nameof(InvalidRecipientAddress);

    /// <summary>Not a domain name (empty, bad label, too long).</summary>
    public const string InvalidDomainName = nameof(InvalidDomainName);

    /// <summary>Per-item timeout reached.</summary>
    public const string OperationTimedOut = nameof(OperationTimedOut);

    /// <summary>A -Server value that is not an address, or that the resolver guard refuses (terminating).</summary>
    public const string InvalidServer = nameof(InvalidServer);

    /// <summary>A -Type value that is not a DNS record type.</summary>
    public const string InvalidRecordType = nameof(InvalidRecordType);

    /// <summary>Send-DaneMail: the .eml file or an attachment does not exist.</summary>
    public const string MessageFileNotFound = nameof(MessageFileNotFound);

    /// <summary>Send-DaneMail: -FailedMessagePath cannot be written, so nothing is sent (a message that failed would be lost).</summary>
    public const string FailedMessagePathNotWritable = nameof(FailedMessagePathNotWritable);

    /// <summary>Send-DaneMail: no sender, no recipient, an unparsable sender or an unreadable .eml.</summary>
    public const string InvalidMessage = nameof(InvalidMessage);

    /// <summary>Send-DaneMail -DaneMode Mandatory: no MX host of the domain has a secure usable TLSA record (TLS-RPT dane-required).</summary>
    public const string DaneRequired = nameof(DaneRequired);

    /// <summary>Send-DaneMail: the recipient domain publishes a null MX (RFC 7505).</summary>
    public const string DomainAcceptsNoMail = nameof(DomainAcceptsNoMail);

    /// <summary>A certificate file that does not exist.</summary>
    public const string CertificateFileNotFound = nameof(CertificateFileNotFound);

    /// <summary>A file that holds no readable PEM or DER certificate.</summary>
    public const string InvalidCertificateFile = nameof(InvalidCertificateFile);

    /// <summary>Get-MtaStsPolicy: the domain publishes an MTA-STS record but no usable policy (fetch, WebPKI or grammar failure;
    /// the message names the RFC 8460 result type).</summary>
    public const string MtaStsPolicyUnavailable = nameof(MtaStsPolicyUnavailable);

    /// <summary>Send-DaneMail: the recipient domain's MTA-STS policy (enforce) refused its MX hosts where DANE does not apply (not listed:
    /// 5.4.8; certificate or TLS: 5.7.5); the message was kept.</summary>
    public const string MtaStsValidationFailed = nameof(MtaStsValidationFailed);

    /// <summary>ConvertFrom-TlsRptReport: a report file (or folder) that does not exist.</summary>
    public const string TlsRptFileNotFound = nameof(TlsRptFileNotFound);

    /// <summary>ConvertFrom-TlsRptReport: a report file that cannot be read (permissions, I/O).</summary>
    public const string TlsRptFileUnreadable = nameof(TlsRptFileUnreadable);

    /// <summary>ConvertFrom-TlsRptReport: not JSON, or JSON nested deeper than the cap.</summary>
    public const string TlsRptInvalidJson = nameof(TlsRptInvalidJson);

    /// <summary>ConvertFrom-TlsRptReport: JSON whose required RFC 8460 field is missing or of the wrong type.</summary>
    public const string TlsRptSchemaViolation = nameof(TlsRptSchemaViolation);

    /// <summary>ConvertFrom-TlsRptReport: a file or decompressed report over the size cap (a gzip bomb).</summary>
    public const string TlsRptSizeLimitExceeded = nameof(TlsRptSizeLimitExceeded);

    /// <summary>ConvertFrom-TlsRptReport: corrupt gzip.</summary>
    public const string TlsRptInvalidGzip = nameof(TlsRptInvalidGzip);

    /// <summary>ConvertFrom-TlsRptReport: a mail message that carries no TLS-RPT report.</summary>
    public const string TlsRptNotInMessage = nameof(TlsRptNotInMessage);

    /// <summary>ConvertFrom-TlsRptReport: a file that is neither JSON, gzip nor a mail message.</summary>
    public const string TlsRptInvalidMessage = nameof(TlsRptInvalidMessage);

    /// <summary>ConvertFrom-TlsRptReport: an -InputObject that is neither text, bytes nor a file.</summary>
    public const string TlsRptInvalidInput = nameof(TlsRptInvalidInput);

    /// <summary>New-TlsRptReport: a report file cannot be written into -Path.</summary>
    public const string TlsRptFileNotWritable = nameof(TlsRptFileNotWritable);

    /// <summary>ConvertFrom-TlsRptReport -VerifyDkim: a report mail without a valid DKIM signature of the reporting domain.</summary>
    public const string TlsRptDkimInvalid = nameof(TlsRptDkimInvalid);

    /// <summary>Export-DaneReport: a pipeline object that is not a Test-DaneDomain or Test-DnssecChain result (live or deserialised).</summary>
    public const string InvalidReportInput = nameof(InvalidReportInput);

    /// <summary>Export-DaneReport -NoClobber: the report file exists.</summary>
    public const string ReportFileExists = nameof(ReportFileExists);

    /// <summary>Export-DaneReport: the report file or its folder cannot be written.</summary>
    public const string ReportNotWritten = nameof(ReportNotWritten);

    /// <summary>An expected MX value (ExpectedMxRecord, DnssecMxValue) that does not end in a host name (Test-DaneInboundReadiness).</summary>
    public const string InvalidExpectedMx = nameof(InvalidExpectedMx);
}
