using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace DaneTools.Core.TlsRpt;

/// <summary>
/// Checks the DKIM signature of a mailed TLS-RPT report (RFC 8460 section 3: a mailed report must carry a valid DKIM
/// signature of the reporting domain, without <c>l=</c>, and a receiver ignores reports without one). MimeKit's
/// <see cref="DkimVerifier"/> verifies; the public key is looked up with DaneTools' own DNS record source.
/// </summary>
/// <remarks>The key's TXT record at <c>selector._domainkey.domain</c> is read as DKIM reads it (RFC 6376 section 3.6.2.2:
/// the character-strings concatenated); DNSSEC is not required. The signing domain (<c>d=</c>) must be the domain of the
/// <c>TLS-Report-Submitter</c> header or of the From address, or a parent of it.</remarks>
public sealed class TlsRptDkimVerifier
{
    private readonly IDnsRecordSource _source;
    private readonly CancellationToken _stop;

    /// <summary>Creates a verifier over a DNS record source.</summary>
    /// <param name="source">Where TXT records are looked up.</param>
    /// <param name="stop">Cancels every lookup (Ctrl+C), also when the caller of <see cref="VerifyAsync"/> passes none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public TlsRptDkimVerifier(IDnsRecordSource source, CancellationToken stop = default)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _stop = stop;
    }

    /// <summary>Verifies a report mail's DKIM signatures.</summary>
    /// <param name="message">The mail.</param>
    /// <param name="cancellationToken">Cancels the DNS lookups.</param>
    /// <returns><c>Pass (d=domain s=selector)</c> when one signature of the reporting domain without <c>l=</c> verifies;
    /// <c>None</c> when the mail is unsigned; <c>Fail: reason</c> otherwise.</returns>
    internal async Task<string> VerifyAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        if (message is null) throw new ArgumentNullException(nameof(message));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop);
        cancellationToken = linked.Token;
        var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
        if (signatures.Count == 0) return "None";
        var reporters = new[] { message.Headers["TLS-Report-Submitter"], message.From.Mailboxes.FirstOrDefault()?.Domain }
            .Where(d => !string.IsNullOrWhiteSpace(d)).Select(d => Normalize(d!)).ToList();
        var verifier = new DkimVerifier(new Locator(_source));
        var reasons = new List<string>();
        foreach (var header in signatures)
        {
            var tags = Tags(header.Value);
            tags.TryGetValue("d", out var domain);
            tags.TryGetValue("s", out var selector);
            if (tags.ContainsKey("l")) { reasons.Add($"d={domain} signs only part of the body (l=)"); continue; }
            if (domain is null || !reporters.Any(r => r == Normalize(domain) || r.EndsWith("." + Normalize(domain), StringComparison.Ordinal)))
            {
                reasons.Add($"d={domain} is not the reporting domain ({string.Join(", ", reporters)})");
                continue;
            }
            try
            {
                if (await verifier.VerifyAsync(message, header, cancellationToken).ConfigureAwait(false)) return $"Pass (d={domain} s={selector})";
                reasons.Add($"d={domain} s={selector}: the signature does not verify");
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or DnsTransportException or InvalidOperationException)
            {
                reasons.Add($"d={domain} s={selector}: {ex.Message.TrimEnd('.')}");
            }
        }
        return "Fail: " + string.Join("; ", reasons);
    }

    private static string Normalize(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();

    private static Dictionary<string, string> Tags(string value)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in value.Split(';'))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) continue;
            var name = part.Substring(0, eq).Trim();
            if (!tags.ContainsKey(name)) tags[name] = new string(part.Substring(eq + 1).Where(c => !char.IsWhiteSpace(c)).ToArray());
        }
        return tags;
    }

    private sealed class Locator : DkimPublicKeyLocatorBase
    {
        private readonly IDnsRecordSource _source;

        internal Locator(IDnsRecordSource source) => _source = source;

        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

        public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
        {
            if (!methods.Split(':').Any(m => m.Trim().Equals("dns/txt", StringComparison.OrdinalIgnoreCase)))
            {
                throw new NotSupportedException($"Key query method '{methods}' is not supported");
            }
            var name = DnsName.Parse($"{selector}._domainkey.{domain}");
            var response = await _source.QueryAsync(name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
            var txt = response.Answer.Where(r => r.Type == DnsRecordType.TXT && r.Owner.Equals(name)).Select(r => Text(r.GetRdata())).ToList();
            if (txt.Count == 0) throw new FormatException($"No DKIM key at {name} ({response.Rcode})");
            return GetPublicKey(txt[0]);
        }

        // TXT RDATA: character-strings, each a length byte and text; DKIM joins them (RFC 6376 section 3.6.2.2).
        private static string Text(byte[] rdata)
        {
            var text = new StringBuilder();
            for (int p = 0; p < rdata.Length;)
            {
                int length = rdata[p++];
                if (p + length > rdata.Length) throw new FormatException("Truncated TXT record");
                text.Append(Encoding.ASCII.GetString(rdata, p, length));
                p += length;
            }
            return text.ToString();
        }
    }
}
