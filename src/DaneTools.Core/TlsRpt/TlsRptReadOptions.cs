namespace DaneTools.Core.TlsRpt;

/// <summary>
/// Caps applied to every TLS-RPT input: reports come from strangers (anyone can mail the <c>rua</c> address), so a gzip
/// bomb or a deeply nested document must end in a clear error, not in memory exhaustion.
/// </summary>
public sealed class TlsRptReadOptions
{
    /// <summary>Gets or sets the largest file or input read, in bytes (a mail message, a .json or .json.gz file). Default is
    /// 32 MiB: a day's report from a large sender is a few hundred KiB compressed.</summary>
    public long MaxInputBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Gets or sets the largest report once decompressed, in bytes. Default is 64 MiB.</summary>
    public long MaxDecompressedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Gets or sets the deepest JSON nesting accepted. Default is 16 (an RFC 8460 report nests 5 deep).</summary>
    public int MaxDepth { get; set; } = 16;

    /// <summary>Gets or sets the most files read from one Maildir or folder. Default is 100000.</summary>
    public int MaxFilesPerFolder { get; set; } = 100000;

    /// <summary>Gets or sets the DKIM check for mailed reports (RFC 8460 section 3). Default is null: not checked. When set,
    /// a mail without a valid DKIM signature of the reporting domain is refused (<see cref="TlsRptErrorKind.DkimInvalid"/>).</summary>
    public TlsRptDkimVerifier? DkimVerifier { get; set; }
}
