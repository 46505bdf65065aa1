using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace DaneTools.Core.TlsRpt;

/// <summary>
/// The fields of a report file name, RFC 8460 section 5.3.1:
/// <c>sender "!" policy-domain "!" begin-timestamp "!" end-timestamp [ "!" unique-id ] "." extension</c>, where the
/// timestamps are seconds since 1970-01-01 UTC and the extension is <c>json</c> or <c>json.gz</c>.
/// </summary>
/// <remarks>Real senders put characters beyond the RFC's ALPHA/DIGIT in the unique id (Exchange Online: digits, "+" and the
/// domain), so any text without "!" is taken.</remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc8460#section-5.3.1"/>
public sealed class TlsRptFileName
{
    private static readonly Regex s_pattern = new(
        @"^(?<sender>[^!]+)!(?<domain>[^!]+)!(?<begin>[0-9]{1,12})!(?<end>[0-9]{1,12})(?:!(?<id>[^!]*?))?\.(?<ext>json\.gz|json|gz)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private TlsRptFileName(string sender, string policyDomain, DateTime beginUtc, DateTime endUtc, string uniqueId, string extension)
    {
        Sender = sender;
        PolicyDomain = policyDomain;
        BeginUtc = beginUtc;
        EndUtc = endUtc;
        UniqueId = uniqueId;
        Extension = extension;
    }

    /// <summary>Gets the sending organisation's domain (e.g. <c>google.com</c>).</summary>
    public string Sender { get; }

    /// <summary>Gets the policy domain the report is about.</summary>
    public string PolicyDomain { get; }

    /// <summary>Gets the start of the reporting period (UTC).</summary>
    public DateTime BeginUtc { get; }

    /// <summary>Gets the end of the reporting period (UTC).</summary>
    public DateTime EndUtc { get; }

    /// <summary>Gets the optional unique id (empty when absent).</summary>
    public string UniqueId { get; }

    /// <summary>Gets the extension: <c>json</c> or <c>json.gz</c> (or <c>gz</c>).</summary>
    public string Extension { get; }

    /// <summary>Reads the fields of a file name (the last path segment is used).</summary>
    /// <param name="fileName">A file or attachment name.</param>
    /// <param name="result">The fields, when the name has the RFC's shape.</param>
    /// <returns>True when the name has the RFC 8460 section 5.3.1 shape.</returns>
    public static bool TryParse(string? fileName, out TlsRptFileName? result)
    {
        result = null;
        if (string.IsNullOrEmpty(fileName)) return false;
        var name = fileName!.Substring(Math.Max(fileName.LastIndexOf('/'), fileName.LastIndexOf('\\')) + 1);
        var m = s_pattern.Match(name);
        if (!m.Success) return false;
        long begin = long.Parse(m.Groups["begin"].Value, CultureInfo.InvariantCulture);
        long end = long.Parse(m.Groups["end"].Value, CultureInfo.InvariantCulture);
        const long maxSeconds = 253402300799; // 9999-12-31T23:59:59Z
        if (begin > maxSeconds || end > maxSeconds) return false;
        result = new TlsRptFileName(m.Groups["sender"].Value, m.Groups["domain"].Value,
            DateTimeOffset.FromUnixTimeSeconds(begin).UtcDateTime, DateTimeOffset.FromUnixTimeSeconds(end).UtcDateTime,
            m.Groups["id"].Value, m.Groups["ext"].Value.ToLowerInvariant());
        return true;
    }

    /// <summary>Returns the name in the RFC's shape.</summary>
    /// <returns>For example <c>google.com!example.com!1686441600!1686527999!001.json.gz</c>.</returns>
    public override string ToString() =>
        $"{Sender}!{PolicyDomain}!{new DateTimeOffset(BeginUtc).ToUnixTimeSeconds()}!{new DateTimeOffset(EndUtc).ToUnixTimeSeconds()}" +
        (UniqueId.Length > 0 ? "!" + UniqueId : string.Empty) + "." + Extension;
}
