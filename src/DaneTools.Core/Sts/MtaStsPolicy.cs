using System;
using System.Collections.Generic;
using System.Linq;

namespace DaneTools.Core.Sts;

/// <summary>
/// A parsed MTA-STS policy (RFC 8461 section 3.2): version, mode, max_age and mx patterns. Immutable.
/// </summary>
/// <remarks>
/// The grammar is applied as written: lines end in LF or CRLF; keys are case-sensitive (<c>%s</c>); mode values are ABNF
/// quoted strings, so case-insensitive (RFC 5234 section 2.3); <c>max_age</c> is 1-10 digits, at most 31557600; an
/// <c>mx</c> value is an RFC 5321 Domain of A-labels, optionally prefixed <c>*.</c>; a repeated non-mx key keeps its first
/// value and later ones are ignored; unknown keys (extension syntax) are ignored; <c>mx</c> is required unless mode is
/// none. Empty lines are outside the grammar but tolerated with a warning, as deployed senders do.
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc8461#section-3.2"/>
public sealed class MtaStsPolicy
{
    /// <summary>The largest <c>max_age</c>, in seconds (about one year).</summary>
    public const long MaxAgeLimit = 31557600;

    private MtaStsPolicy(string version, MtaStsMode mode, long maxAge, IReadOnlyList<string> mx,
        IReadOnlyList<KeyValuePair<string, string>> extensions, IReadOnlyList<string> warnings)
    {
        Version = version;
        Mode = mode;
        MaxAgeSeconds = maxAge;
        MxPatterns = mx;
        Extensions = extensions;
        Warnings = warnings;
    }

    /// <summary>Gets the version: always <c>STSv1</c>.</summary>
    public string Version { get; }

    /// <summary>Gets the mode (None, Testing or Enforce).</summary>
    public MtaStsMode Mode { get; }

    /// <summary>Gets <see cref="Mode"/> as the policy spells it: <c>none</c>, <c>testing</c> or <c>enforce</c>.</summary>
    public string ModeText => Mode.ToString().ToLowerInvariant();

    /// <summary>Gets how long a sender may cache the policy, in seconds (0-31557600).</summary>
    public long MaxAgeSeconds { get; }

    /// <summary>Gets the mx patterns, lower case, in policy order (e.g. <c>mail.example.com</c>, <c>*.example.net</c>).</summary>
    public IReadOnlyList<string> MxPatterns { get; }

    /// <summary>Gets the unknown keys with their first values (ignored).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extensions { get; }

    /// <summary>Gets remarks that do not invalidate the policy (empty lines, repeated keys, a max_age under a day).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Gets the first mx pattern that covers <paramref name="mxHost"/>, or null (RFC 8461 section 4.1).</summary>
    /// <param name="mxHost">The MX host name (a trailing dot and case are ignored).</param>
    /// <returns>The matching pattern, or null.</returns>
    public string? MatchingPattern(string mxHost) => MxPatterns.FirstOrDefault(p => MtaStsMxPattern.Matches(p, mxHost));

    /// <summary>Parses a policy body per RFC 8461 section 3.2.</summary>
    /// <param name="text">The body, decoded as UTF-8.</param>
    /// <param name="policy">The policy, or null.</param>
    /// <param name="error">Why the body is not a valid policy (naming the line), or null.</param>
    /// <returns>Whether the body is a valid policy.</returns>
    public static bool TryParse(string? text, out MtaStsPolicy? policy, out string? error)
    {
        policy = null;
        error = null;
        var body = text ?? string.Empty;
        string? version = null;
        string? modeText = null;
        string? maxAgeText = null;
        var mx = new List<string>();
        var extensions = new List<KeyValuePair<string, string>>();
        var warnings = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = body.Split('\n');
        // A final terminator leaves one empty piece; it is the optional trailing sts-policy-term.
        int count = lines.Length > 0 && lines[lines.Length - 1].Length == 0 ? lines.Length - 1 : lines.Length;
        for (int n = 0; n < count; n++)
        {
            var line = lines[n];
            if (line.EndsWith("\r", StringComparison.Ordinal)) line = line.Substring(0, line.Length - 1);
            int lineNo = n + 1;
            var trimmed = line.Trim(' ', '\t');
            if (trimmed.Length == 0) { warnings.Add($"Line {lineNo} is empty (outside the RFC 8461 grammar; ignored)."); continue; }
            if (trimmed.Any(c => c < 0x20 || c == 0x7F)) { error = $"Line {lineNo} holds a control character."; return false; }
            int colon = trimmed.IndexOf(':');
            if (colon <= 0) { error = $"Line {lineNo} ('{Shorten(trimmed)}') is not 'key: value'."; return false; }
            var key = trimmed.Substring(0, colon);
            var value = trimmed.Substring(colon + 1).TrimStart(' ', '\t');
            if (key == "mx")
            {
                if (!IsMxPattern(value)) { error = $"Line {lineNo}: mx '{Shorten(value)}' is not a domain of A-labels, optionally prefixed '*.'."; return false; }
                mx.Add(value.ToLowerInvariant());
                continue;
            }
            if (!MtaStsTxtRecord.IsExtensionName(key)) { error = $"Line {lineNo}: '{Shorten(key)}' is not a key."; return false; }
            if (value.Length == 0) { error = $"Line {lineNo}: '{key}' has no value."; return false; }
            if (!seen.Add(key)) { warnings.Add($"Line {lineNo}: '{key}' repeated; the first value is kept."); continue; }
            switch (key)
            {
                case "version": version = value; break;
                case "mode": modeText = value; break;
                case "max_age": maxAgeText = value; break;
                default: extensions.Add(new KeyValuePair<string, string>(key, value)); break;
            }
        }
        if (version is null) { error = "The policy has no 'version' field."; return false; }
        if (version != "STSv1") { error = $"The version '{Shorten(version)}' is not 'STSv1'."; return false; }
        if (modeText is null) { error = "The policy has no 'mode' field."; return false; }
        MtaStsMode mode;
        if (string.Equals(modeText, "enforce", StringComparison.OrdinalIgnoreCase)) mode = MtaStsMode.Enforce;
        else if (string.Equals(modeText, "testing", StringComparison.OrdinalIgnoreCase)) mode = MtaStsMode.Testing;
        else if (string.Equals(modeText, "none", StringComparison.OrdinalIgnoreCase)) mode = MtaStsMode.None;
        else { error = $"The mode '{Shorten(modeText)}' is not enforce, testing or none."; return false; }
        if (maxAgeText is null) { error = "The policy has no 'max_age' field."; return false; }
        if (maxAgeText.Length > 10 || !maxAgeText.All(c => c is >= '0' and <= '9') || !long.TryParse(maxAgeText, out var maxAge) || maxAge > MaxAgeLimit)
        {
            error = $"The max_age '{Shorten(maxAgeText)}' is not a number of seconds from 0 to {MaxAgeLimit}.";
            return false;
        }
        if (mx.Count == 0 && mode != MtaStsMode.None) { error = $"The policy (mode {mode.ToString().ToLowerInvariant()}) has no 'mx' field."; return false; }
        if (maxAge < 86400) warnings.Add($"max_age {maxAge} is under a day (RFC 8461 section 3.2 suggests weeks or more).");
        policy = new MtaStsPolicy(version, mode, maxAge, mx, extensions, warnings);
        return true;
    }

    // sts-policy-mx-value = ["*."] Domain; Domain = sub-domain *("." sub-domain) (RFC 5321), ASCII only (A-labels).
    internal static bool IsMxPattern(string value)
    {
        var domain = value.StartsWith("*.", StringComparison.Ordinal) ? value.Substring(2) : value;
        if (domain.Length == 0 || domain.Length > 253) return false;
        foreach (var label in domain.Split('.'))
        {
            if (label.Length is 0 or > 63) return false;
            if (!MtaStsTxtRecord.IsAlnum(label[0]) || !MtaStsTxtRecord.IsAlnum(label[label.Length - 1])) return false;
            if (!label.All(c => MtaStsTxtRecord.IsAlnum(c) || c == '-')) return false;
        }
        return true;
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s.Substring(0, 57) + "...";

    /// <inheritdoc/>
    public override string ToString() => $"STSv1 {ModeText} max_age={MaxAgeSeconds} mx={string.Join(",", MxPatterns)}";
}
