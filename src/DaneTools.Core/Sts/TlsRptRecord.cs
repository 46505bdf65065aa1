using System;
using System.Collections.Generic;
using System.Linq;

namespace DaneTools.Core.Sts;

/// <summary>
/// The TLS-RPT TXT record at <c>_smtp._tls.&lt;policy domain&gt;</c> (RFC 8460 section 3): where a sender sends its
/// daily TLS reports. The policy domain is the recipient domain for MTA-STS and the TLSA base domain of the MX host
/// for DANE (RFC 8460 section 1.1). Immutable; pure grammar, no DNS.
/// </summary>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc8460#section-3"/>
public sealed class TlsRptRecord
{
    /// <summary>The prefix a record must start with to be considered at all (case-sensitive, RFC 8460 section 3).</summary>
    public const string VersionPrefix = "v=TLSRPTv1;";

    private const string Version = "v=TLSRPTv1";

    private TlsRptRecord(string text, IReadOnlyList<string> reportUris, IReadOnlyList<string> warnings, IReadOnlyList<KeyValuePair<string, string>> extensions)
    {
        Text = text;
        ReportUris = reportUris;
        Warnings = warnings;
        Extensions = extensions;
    }

    /// <summary>Gets the record text (its character-strings concatenated).</summary>
    public string Text { get; }

    /// <summary>Gets the <c>rua</c> URIs in record order, as written (percent-encoding kept).</summary>
    public IReadOnlyList<string> ReportUris { get; }

    /// <summary>Gets what is legal but will not work as meant (a URI scheme other than mailto/https, a second rua).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Gets the extension fields in record order (ignored by senders, kept for display).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extensions { get; }

    /// <summary>Parses one record's text per the ABNF of RFC 8460 section 3.</summary>
    /// <param name="text">The record text, character-strings already concatenated.</param>
    /// <param name="record">The record, or null.</param>
    /// <param name="error">Why the text is not a record, or null.</param>
    /// <returns>Whether the text is a valid record.</returns>
    public static bool TryParse(string? text, out TlsRptRecord? record, out string? error)
    {
        record = null;
        error = null;
        var s = text ?? string.Empty;
        if (!s.StartsWith(Version, StringComparison.Ordinal)) { error = $"The record does not start with '{Version}'."; return false; }
        int i = Version.Length;
        List<string>? uris = null;
        var warnings = new List<string>();
        var extensions = new List<KeyValuePair<string, string>>();
        int fields = 0;
        while (TxtRecordFields.Next(s, ref i, out var name, out error))
        {
            fields++;
            if (name == "rua")
            {
                // The rua value runs to the next ';' (URIs carry ';' percent-encoded) and may hold WSP around commas.
                int end = s.IndexOf(';', i);
                if (end < 0) end = s.Length;
                var value = s.Substring(i, end - i).TrimEnd(' ', '\t');
                i += value.Length;
                if (!TryParseRua(value, out var list, out error)) return false;
                if (uris is null) uris = list;
                else warnings.Add("A second 'rua' field is ignored; list every URI in one field, comma separated.");
            }
            else
            {
                int end = TxtRecordFields.ValueEnd(s, i);
                var value = s.Substring(i, end - i);
                i = end;
                if (!MtaStsTxtRecord.IsExtensionName(name)) { error = $"'{name}' is not a field name."; return false; }
                if (value.Length == 0 || value.Any(c => c < 0x21 || c > 0x7E || c == '=')) { error = $"The value of '{name}' is not valid."; return false; }
                extensions.Add(new KeyValuePair<string, string>(name, value));
            }
        }
        if (error is not null) return false;
        if (fields == 0) { error = "The record has no fields after the version."; return false; }
        if (uris is null) { error = "The record has no 'rua' field (required)."; return false; }
        foreach (var u in uris.Where(u => !u.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) && !u.StartsWith("https:", StringComparison.OrdinalIgnoreCase)))
            warnings.Add($"'{u}' is neither mailto nor https; senders cannot deliver reports there (RFC 8460 section 3).");
        record = new TlsRptRecord(s, uris, warnings, extensions);
        return true;
    }

    /// <summary>
    /// Applies RFC 8460 section 3's selection to a TXT RRset: records not starting <see cref="VersionPrefix"/> are
    /// discarded; exactly one must remain and parse, else the domain does not implement TLS-RPT.
    /// </summary>
    /// <param name="texts">The TXT records at <c>_smtp._tls.&lt;domain&gt;</c>, each's strings concatenated.</param>
    /// <param name="record">The one valid record, or null.</param>
    /// <param name="problem">Why there is no usable record (null when there is one, or when there is no record at all).</param>
    /// <returns>Whether exactly one valid record was found.</returns>
    public static bool TrySelect(IEnumerable<string> texts, out TlsRptRecord? record, out string? problem)
    {
        record = null;
        problem = null;
        var candidates = (texts ?? Array.Empty<string>()).Where(t => t.StartsWith(VersionPrefix, StringComparison.Ordinal)).ToList();
        if (candidates.Count == 0) return false;
        if (candidates.Count > 1) { problem = $"{candidates.Count} records start '{VersionPrefix}'; RFC 8460 section 3 allows exactly one, so none is used."; return false; }
        if (!TryParse(candidates[0], out record, out var error)) { problem = $"The record is not valid: {error}"; return false; }
        return true;
    }

    // tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri); "," "!" ";" must be percent-encoded in a URI.
    private const string NotInUri = "\"<>\\^`{|}";

    private static bool TryParseRua(string value, out List<string> uris, out string? error)
    {
        uris = new List<string>();
        error = null;
        foreach (var part in value.Split(','))
        {
            var uri = part.Trim(' ', '\t');
            if (uri.Length == 0) { error = "The 'rua' field has an empty URI."; return false; }
            if (uri.IndexOf('!') >= 0) { error = $"The URI '{uri}' holds '!', which must be percent-encoded (%21)."; return false; }
            if (uri.Any(c => c <= 0x20 || c >= 0x7F)) { error = $"The URI '{uri}' holds a space or a non-ASCII character."; return false; }
            // RFC 3986 section 2 has no place for these outside percent-encoding; System.Uri escapes some and accepts (https://h/{x}).
            if (uri.FirstOrDefault(c => NotInUri.IndexOf(c) >= 0) is var bad && bad != default) { error = $"The URI '{uri}' holds '{bad}', which RFC 3986 allows only percent-encoded."; return false; }
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed)) { error = $"'{uri}' is not an absolute URI."; return false; }
            if (parsed.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(parsed.Host)) { error = $"The URI '{uri}' names no host."; return false; }
            if (parsed.Scheme == Uri.UriSchemeMailto && parsed.UserInfo.Length == 0) { error = $"The URI '{uri}' names no mailbox."; return false; }
            uris.Add(uri);
        }
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Text;
}
