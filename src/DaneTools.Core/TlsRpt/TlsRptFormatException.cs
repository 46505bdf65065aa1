

namespace DaneTools.Core.TlsRpt;

/// <summary>What made a TLS-RPT input unreadable; each value has its own error id in the cmdlets.</summary>
public enum TlsRptErrorKind
{
    /// <summary>Not JSON, or JSON nested deeper than <see cref="TlsRptReadOptions.MaxDepth"/>.</summary>
    InvalidJson,

    /// <summary>JSON, but a required RFC 8460 section 4.4 field is missing or has the wrong type.</summary>
    SchemaViolation,

    /// <summary>The input, or the report once decompressed, is larger than the caps of <see cref="TlsRptReadOptions"/>.</summary>
    SizeLimitExceeded,

    /// <summary>The gzip stream is corrupt or truncated.</summary>
    InvalidGzip,

    /// <summary>A mail message that carries no TLS-RPT report (RFC 8460 section 5.3).</summary>
    NoReportInMessage,

    /// <summary>A mail message that cannot be parsed as MIME.</summary>
    InvalidMessage,

    /// <summary>A mailed report without a valid DKIM signature of the reporting domain (RFC 8460 section 3), when checked.</summary>
    DkimInvalid,
}

/// <summary>
/// Thrown when a TLS-RPT report (file, mail or text) cannot be read; the message names the input and the field or limit.
/// </summary>
public sealed class TlsRptFormatException : System.FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="source">The file (or "InputObject") that was read.</param>
    /// <param name="message">The full message, naming the input.</param>
    /// <param name="inner">The library's exception, if any.</param>
    public TlsRptFormatException(TlsRptErrorKind kind, string source, string message, System.Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Source = source;
    }

    /// <summary>Gets what went wrong.</summary>
    public TlsRptErrorKind Kind { get; }

    /// <summary>Gets the file (or <c>InputObject</c>) that was read.</summary>
    public new string Source { get; }
}
