using System;

namespace DaneTools.Core.TlsRpt;

/// <summary>
/// Where a report came from: the file, the mail's subject and sender, its <c>TLS-Report-Domain</c> and
/// <c>TLS-Report-Submitter</c> headers (RFC 8460 section 5.3), and the fields of the report's file name (section 5.3.1).
/// Only the JSON is authoritative (section 5.6); these are kept to be compared with it.
/// </summary>
public sealed class TlsRptSource
{
    internal TlsRptSource(string path, string kind)
    {
        Path = path;
        Kind = kind;
    }

    /// <summary>Gets the file read (full path), or <c>InputObject</c> for text or bytes given directly.</summary>
    public string Path { get; }

    /// <summary>Gets what was read: <c>json</c>, <c>gzip</c>, <c>mail</c>, <c>text</c> or <c>bytes</c>.</summary>
    public string Kind { get; }

    /// <summary>Gets the mail's Subject (empty when not a mail).</summary>
    public string Subject { get; internal set; } = string.Empty;

    /// <summary>Gets the mail's From address (empty when not a mail).</summary>
    public string From { get; internal set; } = string.Empty;

    /// <summary>Gets the mail's Message-ID (empty when not a mail).</summary>
    public string MessageId { get; internal set; } = string.Empty;

    /// <summary>Gets the mail's <c>TLS-Report-Domain</c> header (empty when absent).</summary>
    public string ReportDomain { get; internal set; } = string.Empty;

    /// <summary>Gets the mail's <c>TLS-Report-Submitter</c> header (empty when absent).</summary>
    public string ReportSubmitter { get; internal set; } = string.Empty;

    /// <summary>Gets the attachment's file name (empty when not a mail, or when the part has no name).</summary>
    public string AttachmentName { get; internal set; } = string.Empty;

    /// <summary>Gets the MIME type of the part the report came from (empty when not a mail).</summary>
    public string ContentType { get; internal set; } = string.Empty;

    /// <summary>Gets the fields of the report's file name (the attachment name for a mail), or null when the name does not
    /// have the RFC 8460 section 5.3.1 shape.</summary>
    public TlsRptFileName? FileName { get; internal set; }

    /// <summary>Gets the DKIM verdict of a mailed report: empty when not checked, else <c>Pass</c>, <c>None</c> (unsigned),
    /// <c>Fail: reason</c> (RFC 8460 section 3).</summary>
    public string Dkim { get; internal set; } = string.Empty;

    /// <inheritdoc/>
    public override string ToString() => AttachmentName.Length > 0 ? $"{Path} ({AttachmentName})" : Path;

    internal TlsRptSource WithPart(string attachmentName, string contentType)
    {
        var copy = (TlsRptSource)MemberwiseClone();
        copy.AttachmentName = attachmentName ?? string.Empty;
        copy.ContentType = contentType ?? string.Empty;
        if (TlsRptFileName.TryParse(attachmentName, out var parsed)) copy.FileName = parsed;
        return copy;
    }

    internal static TlsRptSource ForFile(string path, string kind)
    {
        var source = new TlsRptSource(path, kind);
        if (TlsRptFileName.TryParse(System.IO.Path.GetFileName(path), out var parsed)) source.FileName = parsed;
        return source;
    }

    internal static readonly string InputObjectName = "InputObject";

    internal static TlsRptSource ForInput(string kind) => new(InputObjectName, kind);

    internal static string Display(string path) => string.Equals(path, InputObjectName, StringComparison.Ordinal) ? "-InputObject" : $"'{path}'";
}
