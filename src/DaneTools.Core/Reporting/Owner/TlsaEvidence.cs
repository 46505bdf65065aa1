using System;
using System.Globalization;
using System.Linq;

namespace DaneTools.Core.Reporting.Owner;

// Says, for one TLSA record and one address, what the record was compared with: which certificate of the presented
// chain its digest equals, and why it did or did not count (RFC 6698 section 2.1, RFC 7672 section 3.1). Worked out
// from the SHA-256 digests the results carry, so it holds for Import-Clixml results too.
internal static class TlsaEvidence
{
    /// <summary>The sentence shown beside the record on the "TLSA records expect" side of an address.</summary>
    public static string For(ReportTlsa t, ReportAddress a)
    {
        if (!t.Usable) return "unusable" + (t.Note.Length > 0 ? ": " + t.Note : string.Empty);
        bool matchedHere = a.MatchedRecord.Length > 0 && string.Equals(Normal(a.MatchedRecord), Normal(t.Record), StringComparison.OrdinalIgnoreCase);
        if (!TryParse(t.Record, out var usage, out var selector, out var matchingType, out var data))
            return matchedHere ? "matched" : "not compared: not a TLSA record in numeric presentation form";
        var what = selector == 1 ? "SPKI SHA-256" : "certificate SHA-256";
        if (matchedHere)
        {
            var at = a.Chain.FirstOrDefault(c => c.Position == a.MatchDepth);
            return $"matched: {(matchingType == 1 ? "equals the " + what + " of" : "matches")} the certificate at depth {Depth(a.MatchDepth)}"
                + (at is null ? string.Empty : $" ({at.Subject})");
        }
        if (a.Chain.Count == 0) return "not compared: the server presented no certificate";
        if (matchingType != 1)
            return $"not compared here: the record holds {(matchingType == 2 ? "a SHA-512 digest" : "full data")} (matching type {matchingType.ToString(CultureInfo.InvariantCulture)}) and the results carry SHA-256 digests only";
        var hit = a.Chain.FirstOrDefault(c => string.Equals(selector == 1 ? c.SpkiSha256 : c.CertificateSha256, data, StringComparison.OrdinalIgnoreCase));
        if (hit is null)
        {
            if (usage == 3)
            {
                var leaf = a.Chain.FirstOrDefault(c => c.Position == 0) ?? a.Chain[0];
                var digest = selector == 1 ? leaf.SpkiSha256 : leaf.CertificateSha256;
                return $"matches nothing presented: the leaf's {what} is {digest}";
            }
            return $"matches nothing presented: none of the {a.Chain.Count.ToString(CultureInfo.InvariantCulture)} certificates the server sends has this {what} "
                + "(the server must send the certificate a DANE-TA record names, RFC 7671 section 5.2.2)";
        }
        if (usage == 3 && hit.Position != 0)
            return $"equals the {what} of the certificate at depth {Depth(hit.Position)} ({hit.Subject}), but DANE-EE(3) matches the leaf only (RFC 7672 section 3.1.1)";
        if (a.MatchOutcome == "Authenticated")
            return $"also equals the {what} of the certificate at depth {Depth(hit.Position)} ({hit.Subject})";
        // The digest is right but the session still failed: the name, the dates or the chain under DANE-TA (RFC 7672 3.1.2).
        return $"equals the {what} of the certificate at depth {Depth(hit.Position)} ({hit.Subject}), but did not authenticate the session: "
            + (a.MatchOutcome.Length > 0 ? a.MatchOutcome : "not matched") + (a.Reason.Length > 0 ? " (" + a.Reason.TrimEnd('.') + ")" : string.Empty);
    }

    private static string Depth(long depth) => depth.ToString(CultureInfo.InvariantCulture);

    private static string Normal(string record) => string.Join(" ", record.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    // "usage selector matching-type hex", as the results write TLSA RDATA (numbers, RFC 6698 section 2.2).
    internal static bool TryParse(string record, out int usage, out int selector, out int matchingType, out string data)
    {
        usage = selector = matchingType = -1;
        data = string.Empty;
        var parts = record.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4) return false;
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out usage)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out selector)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out matchingType)) return false;
        data = string.Concat(parts.Skip(3));
        return true;
    }
}
