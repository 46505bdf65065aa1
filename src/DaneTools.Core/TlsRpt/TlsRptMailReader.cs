using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MimeKit;

namespace DaneTools.Core.TlsRpt;

/// <summary>
/// Finds the report in a mail message with MimeKit (RFC 8460 section 5.3): a <c>multipart/report; report-type="tlsrpt"</c>
/// with an <c>application/tlsrpt+gzip</c> or <c>application/tlsrpt+json</c> part; failing that an
/// <c>application/gzip</c>/<c>application/json</c> part or a part named <c>*.json.gz</c>/<c>*.json</c>; failing that a body
/// that is the report itself.
/// </summary>
internal static class TlsRptMailReader
{
    internal static IReadOnlyList<TlsRptPolicyReport> Read(byte[] content, TlsRptSource source, TlsRptReadOptions options)
    {
        var name = TlsRptSource.Display(source.Path);
        var message = Load(content, source, name);
        return ReadMessage(message, source, options, name);
    }

    internal static MimeMessage Load(byte[] content, TlsRptSource source, string name)
    {
        try
        {
            var message = MimeMessage.Load(new MemoryStream(content, writable: false));
            if (message.Headers.Count == 0) throw new FormatException("no header fields");
            return message;
        }
        catch (FormatException ex)
        {
            throw new TlsRptFormatException(TlsRptErrorKind.InvalidMessage, source.Path,
                $"{name} is neither JSON, gzip nor a mail message: {ex.Message.TrimEnd('.')}.", ex);
        }
    }

    internal static IReadOnlyList<TlsRptPolicyReport> ReadMessage(MimeMessage message, TlsRptSource source, TlsRptReadOptions options, string name)
    {
        source.Subject = message.Subject ?? string.Empty;
        source.From = message.From.Mailboxes.FirstOrDefault()?.Address ?? string.Empty;
        source.MessageId = message.MessageId ?? string.Empty;
        source.ReportDomain = message.Headers["TLS-Report-Domain"]?.Trim() ?? string.Empty;
        source.ReportSubmitter = message.Headers["TLS-Report-Submitter"]?.Trim() ?? string.Empty;
        if (options.DkimVerifier is { } dkim)
        {
            source.Dkim = dkim.VerifyAsync(message).GetAwaiter().GetResult();
            if (!source.Dkim.StartsWith("Pass", StringComparison.Ordinal))
            {
                throw new TlsRptFormatException(TlsRptErrorKind.DkimInvalid, source.Path,
                    $"{name} has no valid DKIM signature of the reporting domain ({source.Dkim}); RFC 8460 section 3 says to ignore such a report.");
            }
        }

        var parts = message.BodyParts.OfType<MimePart>().ToList();
        var chosen = parts.Where(p => Rank(p) == 0).ToList();
        if (chosen.Count == 0) chosen = parts.Where(p => Rank(p) == 1).ToList();
        var results = new List<TlsRptPolicyReport>();
        if (chosen.Count == 0)
        {
            // A message whose body is the report (no attachment).
            foreach (var part in parts.Where(p => p.ContentType.IsMimeType("text", "plain")))
            {
                var body = Decode(part, source, options, name);
                if (TlsRptReportReader.LooksLikeJson(body))
                {
                    results.AddRange(TlsRptReportReader.ReadReport(body, source.WithPart(part.FileName ?? string.Empty, part.ContentType.MimeType), options));
                }
            }
            if (results.Count == 0)
            {
                throw new TlsRptFormatException(TlsRptErrorKind.NoReportInMessage, source.Path,
                    $"{name} is a mail message without a TLS-RPT report (no application/tlsrpt+gzip or +json part, no *.json.gz attachment, no JSON body; RFC 8460 section 5.3).");
            }
            return results;
        }
        foreach (var part in chosen)
        {
            var data = Decode(part, source, options, name);
            results.AddRange(TlsRptReportReader.ReadReport(data, source.WithPart(part.FileName ?? string.Empty, part.ContentType.MimeType), options));
        }
        return results;
    }

    // 0: RFC 8460's own media types; 1: what senders also use (generic gzip/JSON, or only the file name tells).
    private static int Rank(MimePart part)
    {
        var type = part.ContentType;
        if (type.IsMimeType("application", "tlsrpt+gzip") || type.IsMimeType("application", "tlsrpt+json")) return 0;
        if (type.IsMimeType("application", "gzip") || type.IsMimeType("application", "x-gzip") || type.IsMimeType("application", "json")) return 1;
        var file = part.FileName ?? string.Empty;
        if (file.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return 1;
        return 2;
    }

    private static byte[] Decode(MimePart part, TlsRptSource source, TlsRptReadOptions options, string name)
    {
        if (part.Content is null) return Array.Empty<byte>();
        using var output = new CappedStream(options.MaxDecompressedBytes, source.Path, name);
        part.Content.DecodeTo(output);
        return output.ToArray();
    }

    private sealed class CappedStream : MemoryStream
    {
        private readonly long _cap;
        private readonly string _path;
        private readonly string _name;

        internal CappedStream(long cap, string path, string name)
        {
            _cap = cap;
            _path = path;
            _name = name;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > _cap)
            {
                throw new TlsRptFormatException(TlsRptErrorKind.SizeLimitExceeded, _path,
                    $"{_name}: a report part decodes to more than {_cap} bytes.");
            }
            base.Write(buffer, offset, count);
        }
    }
}
