using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Tests.Dnssec.Replay;

/// <summary>
/// One parsed replay scenario (<c>.rpl</c>, the "testbound" format of Unbound's testcode/testpkts.c and
/// replay.c, also read by Deckard's pydnstest): the resolver configuration before <c>CONFIG_END</c>, the
/// scripted servers (<see cref="RplRange"/>) and the steps.
/// </summary>
/// <remarks>
/// Records are zone-file text parsed with <see cref="ResourceRecord.TryParse"/>; a record or entry that cannot be
/// parsed is dropped and named in <see cref="Problems"/> (shown in RESULTS.md), never fatal.
/// </remarks>
internal sealed class RplScenario
{
    /// <summary>Gets the file name, e.g. <c>val_nx.rpl</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Gets the <c>SCENARIO_BEGIN</c> title (what the file tests).</summary>
    public string Title { get; set; } = string.Empty;

    /// <summary>Gets the trust anchors: DS or DNSKEY presentation lines, quotes removed.</summary>
    public List<string> TrustAnchors { get; } = new();

    /// <summary>Gets the validation time of <c>val-override-date</c> (YYYYMMDDHHMMSS, UTC) or <c>val-override-timestamp</c> (seconds), or null.</summary>
    public DateTime? OverrideDate { get; set; }

    /// <summary>Gets whether <c>val-override-date: -1</c> is set: the peer does not check signature dates at all.</summary>
    public bool DatesIgnored { get; set; }

    /// <summary>Gets whether <c>fake-dsa: yes</c> or <c>fake-sha1: yes</c> is set.</summary>
    public bool FakeDsa { get; set; }

    /// <summary>Gets whether <c>fake-sha1: yes</c> is set.</summary>
    public bool FakeSha1 { get; set; }

    /// <summary>Gets the stub zones: zone name to server addresses (the root hints are the stub of <c>.</c>).</summary>
    public Dictionary<DnsName, List<string>> StubZones { get; } = new();

    /// <summary>Gets the forward zones: zone name to forwarder addresses (asked as recursive resolvers).</summary>
    public Dictionary<DnsName, List<string>> ForwardZones { get; } = new();

    /// <summary>Gets every configuration key seen before CONFIG_END with its last value (quotes removed).</summary>
    public Dictionary<string, string> Config { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the scripted server ranges, in file order.</summary>
    public List<RplRange> Ranges { get; } = new();

    /// <summary>Gets the steps, in file order.</summary>
    public List<RplStep> Steps { get; } = new();

    /// <summary>Gets what the parser dropped: <c>line n: why</c>.</summary>
    public List<string> Problems { get; } = new();

    /// <summary>Reads and parses a file.</summary>
    public static RplScenario Load(string path) => Parse(Path.GetFileName(path), File.ReadAllLines(path));

    /// <summary>Parses the lines of one scenario.</summary>
    /// <param name="name">The file name, for messages.</param>
    /// <param name="lines">The file's lines.</param>
    public static RplScenario Parse(string name, IReadOnlyList<string> lines)
    {
        var s = new RplScenario { Name = name };
        int i = 0;
        ParseConfig(s, lines, ref i);
        RplRange? range = null;
        for (; i < lines.Count; i++)
        {
            var tokens = Tokens(lines[i]);
            if (tokens.Count == 0) continue;
            switch (tokens[0].ToUpperInvariant())
            {
                case "SCENARIO_BEGIN":
                    s.Title = StripComment(lines[i]).Trim().Substring("SCENARIO_BEGIN".Length).Trim();
                    break;
                case "RANGE_BEGIN":
                    range = new RplRange(Int(tokens, 1), Int(tokens, 2));
                    s.Ranges.Add(range);
                    break;
                case "RANGE_END":
                    range = null;
                    break;
                case "ADDRESS":
                    if (range is not null && tokens.Count > 1) range.Addresses.Add(Address(tokens[1]));
                    break;
                case "ENTRY_BEGIN":
                {
                    var entry = ParseEntry(s, lines, ref i);
                    if (entry is not null && range is not null) range.Entries.Add(entry);
                    break;
                }
                case "STEP":
                {
                    var step = new RplStep(Int(tokens, 1), tokens.Count > 2 ? tokens[2].ToUpperInvariant() : string.Empty, i + 1)
                    {
                        Arguments = string.Join(" ", tokens.Skip(3)),
                    };
                    // The entry of a QUERY, CHECK_ANSWER, REPLY... step follows on the next non-empty line.
                    int j = i + 1;
                    while (j < lines.Count && Tokens(lines[j]).Count == 0) j++;
                    if (j < lines.Count && Tokens(lines[j])[0].Equals("ENTRY_BEGIN", StringComparison.OrdinalIgnoreCase))
                    {
                        i = j;
                        step.Entry = ParseEntry(s, lines, ref i);
                    }
                    s.Steps.Add(step);
                    break;
                }
            }
        }
        return s;
    }

    private static void ParseConfig(RplScenario s, IReadOnlyList<string> lines, ref int i)
    {
        string section = "server";
        DnsName? zoneName = null;
        for (; i < lines.Count; i++)
        {
            var text = StripComment(lines[i]).Trim();
            if (text.Equals("CONFIG_END", StringComparison.OrdinalIgnoreCase)) { i++; return; }
            if (text.Length == 0) continue;
            int colon = text.IndexOf(':');
            if (colon <= 0) continue;
            var key = text.Substring(0, colon).Trim().ToLowerInvariant();
            var value = Unquote(StripHash(text.Substring(colon + 1)).Trim());
            if (value.Length == 0 && key is "server" or "stub-zone" or "forward-zone" or "remote-control" or "auth-zone")
            {
                section = key;
                zoneName = null;
                continue;
            }
            s.Config[key] = value;
            switch (key)
            {
                case "trust-anchor":
                    s.TrustAnchors.Add(value);
                    break;
                case "val-override-date" when value == "-1":
                    s.DatesIgnored = true; // Unbound: signature dates are not checked at all
                    break;
                case "val-override-date":
                    if (value.Length == 14 && DateTime.TryParseExact(value, "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
                            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
                        s.OverrideDate = DateTime.SpecifyKind(d, DateTimeKind.Utc);
                    else if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var secs))
                        s.OverrideDate = DateTimeOffset.FromUnixTimeSeconds(secs).UtcDateTime;
                    else
                        s.Problems.Add($"line {i + 1}: val-override-date '{value}' not understood");
                    break;
                case "val-override-timestamp":
                    if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ts))
                        s.OverrideDate = DateTimeOffset.FromUnixTimeSeconds(ts).UtcDateTime;
                    else
                        s.Problems.Add($"line {i + 1}: val-override-timestamp '{value}' not understood");
                    break;
                case "fake-dsa":
                    s.FakeDsa |= value.Equals("yes", StringComparison.OrdinalIgnoreCase);
                    break;
                case "fake-sha1":
                    s.FakeSha1 |= value.Equals("yes", StringComparison.OrdinalIgnoreCase);
                    break;
                case "name":
                    zoneName = DnsName.TryParse(value, out var zn) ? zn : null;
                    break;
                case "stub-addr":
                case "forward-addr":
                {
                    // Deckard writes stub-addr without a stub-zone: the root hints.
                    var zone = zoneName ?? DnsName.Root;
                    var map = key == "forward-addr" && section == "forward-zone" ? s.ForwardZones : s.StubZones;
                    if (!map.TryGetValue(zone, out var list)) map[zone] = list = new List<string>();
                    list.Add(Address(value));
                    break;
                }
            }
        }
    }

    private static RplEntry? ParseEntry(RplScenario s, IReadOnlyList<string> lines, ref int i)
    {
        var entry = new RplEntry(i + 1);
        List<ResourceRecord>? section = null;
        bool raw = false;
        for (i++; i < lines.Count; i++)
        {
            var tokens = Tokens(lines[i]);
            if (tokens.Count == 0) continue;
            var head = tokens[0].ToUpperInvariant();
            if (raw)
            {
                if (head is "HEX_ANSWER_END" or "RAW_END") raw = false;
                continue;
            }
            switch (head)
            {
                case "ENTRY_END":
                    return entry;
                case "MATCH":
                    foreach (var t in tokens.Skip(1)) entry.Match.Add(t.ToLowerInvariant());
                    continue;
                case "REPLY":
                    foreach (var t in tokens.Skip(1)) entry.Reply.Add(t.ToUpperInvariant());
                    continue;
                case "ADJUST":
                    continue; // copy_id, copy_query, sleeps: transport details, no bearing on the records
                case "SECTION":
                    section = tokens.Count > 1 ? tokens[1].ToUpperInvariant() switch
                    {
                        "QUESTION" => null,
                        "ANSWER" => entry.Answer,
                        "AUTHORITY" => entry.Authority,
                        "ADDITIONAL" => entry.Additional,
                        _ => null,
                    } : null;
                    entry.InQuestion = tokens.Count > 1 && tokens[1].Equals("QUESTION", StringComparison.OrdinalIgnoreCase);
                    continue;
                case "HEX_ANSWER_BEGIN":
                case "RAW":
                    raw = true;
                    entry.Unparsed = "a raw (hex) packet, not zone-file text";
                    continue;
                case "HEX_EDNS_BEGIN":
                    while (i < lines.Count && !lines[i].Contains("HEX_EDNS_END")) i++;
                    continue;
                case "EXTRA_PACKET":
                    entry.Unparsed ??= "EXTRA_PACKET (several reply packets)";
                    section = null;
                    continue;
            }
            // A record may continue over lines inside parentheses.
            var text = lines[i];
            while (Depth(text) > 0 && i + 1 < lines.Count) text += " " + lines[++i];
            if (entry.InQuestion)
            {
                if (entry.Question is null && !TryQuestion(text, out var q)) s.Problems.Add($"line {i + 1}: question '{text.Trim()}' not understood");
                else if (entry.Question is null && TryQuestion(text, out q)) entry.Question = q;
                continue;
            }
            if (section is null) continue;
            if (ResourceRecord.TryParse(text, out var rr, out var error)) section.Add(rr!);
            else
            {
                s.Problems.Add($"line {i + 1}: record skipped ({error})");
                entry.SkippedRecords++;
            }
        }
        s.Problems.Add($"line {entry.Line}: ENTRY_BEGIN without ENTRY_END");
        return entry;
    }

    /// <summary>Parses a question line <c>name [class] type</c>.</summary>
    internal static bool TryQuestion(string text, out (DnsName Name, DnsRecordType Type) question)
    {
        question = default;
        var tokens = Tokens(text);
        if (tokens.Count < 2 || !DnsName.TryParse(tokens[0], out var name)) return false;
        foreach (var t in tokens.Skip(1))
        {
            if (DnsRecordTypeText.TryParseClass(t, out _)) continue;
            if (DnsRecordTypeText.TryParse(t, out var type)) { question = (name!, type); return true; }
            return false;
        }
        return false;
    }

    private static int Depth(string line)
    {
        int depth = 0;
        bool quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == ';') break;
            else if (!quoted && c == '(') depth++;
            else if (!quoted && c == ')') depth--;
        }
        return depth;
    }

    private static string Address(string text)
    {
        // "1.2.3.4@53" and "1.2.3.4#53" name a port; the port never matters in these scripts.
        int at = text.IndexOfAny(new[] { '@', '#' });
        return (at > 0 ? text.Substring(0, at) : text).Trim();
    }

    private static int Int(List<string> tokens, int index) =>
        tokens.Count > index && int.TryParse(tokens[index], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static string StripComment(string line)
    {
        bool quoted = false;
        for (int k = 0; k < line.Length; k++)
        {
            if (line[k] == '"') quoted = !quoted;
            else if (line[k] == ';' && !quoted) return line.Substring(0, k);
        }
        return line;
    }

    private static string StripHash(string text)
    {
        bool quoted = false;
        for (int k = 0; k < text.Length; k++)
        {
            if (text[k] == '"') quoted = !quoted;
            else if (text[k] == '#' && !quoted) return text.Substring(0, k);
        }
        return text;
    }

    private static string Unquote(string text) =>
        text.Length >= 2 && text[0] == '"' && text[text.Length - 1] == '"' ? text.Substring(1, text.Length - 2).Trim() : text;

    internal static List<string> Tokens(string line) =>
        StripComment(line).Split(new[] { ' ', '\t', '\r' }, StringSplitOptions.RemoveEmptyEntries).ToList();
}

/// <summary>The answers one or more scripted servers give during steps <see cref="From"/> to <see cref="To"/> (inclusive).</summary>
internal sealed class RplRange
{
    public RplRange(int from, int to)
    {
        From = from;
        To = to;
    }

    public int From { get; }

    public int To { get; }

    /// <summary>Gets the server addresses; empty means the range answers for every address (testbound's rule).</summary>
    public List<string> Addresses { get; } = new();

    public List<RplEntry> Entries { get; } = new();

    public bool IsActive(int step) => step >= From && step <= To;

    public bool Serves(string address) => Addresses.Count == 0 || Addresses.Contains(address, StringComparer.OrdinalIgnoreCase);
}

/// <summary>One <c>ENTRY_BEGIN</c> ... <c>ENTRY_END</c>: match rules, reply header and the four sections.</summary>
internal sealed class RplEntry
{
    public RplEntry(int line) => Line = line;

    /// <summary>Gets the line of ENTRY_BEGIN.</summary>
    public int Line { get; }

    /// <summary>Gets the MATCH keywords, lower case (opcode, qtype, qname, subdomain, all, flags, rcode, TCP...).</summary>
    public HashSet<string> Match { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the REPLY keywords, upper case: header flags (QR AA RD RA AD CD DO) and the rcode.</summary>
    public HashSet<string> Reply { get; } = new(StringComparer.OrdinalIgnoreCase);

    public (DnsName Name, DnsRecordType Type)? Question { get; set; }

    internal bool InQuestion { get; set; }

    public List<ResourceRecord> Answer { get; } = new();

    public List<ResourceRecord> Authority { get; } = new();

    public List<ResourceRecord> Additional { get; } = new();

    /// <summary>Gets how many record lines could not be parsed.</summary>
    public int SkippedRecords { get; set; }

    /// <summary>Gets why the entry's reply is not usable (a raw hex packet), or null.</summary>
    public string? Unparsed { get; set; }

    public bool Has(string flag) => Reply.Contains(flag);

    /// <summary>Gets the reply's rcode mnemonic (NOERROR when none is given, as in testpkts.c).</summary>
    public string Rcode => Reply.FirstOrDefault(r => r is "NOERROR" or "FORMERR" or "SERVFAIL" or "NXDOMAIN" or "NOTIMPL" or "NOTIMP" or "REFUSED"
        or "YXDOMAIN" or "YXRRSET" or "NXRRSET" or "NOTAUTH" or "NOTZONE") ?? "NOERROR";
}

/// <summary>One <c>STEP n KIND</c> with its entry, if any.</summary>
internal sealed class RplStep
{
    public RplStep(int number, string kind, int line)
    {
        Number = number;
        Kind = kind;
        Line = line;
    }

    public int Number { get; }

    /// <summary>Gets QUERY, CHECK_ANSWER, TIME_PASSES, REPLY, CHECK_OUT_QUERY, TRAFFIC...</summary>
    public string Kind { get; }

    public int Line { get; }

    public string Arguments { get; init; } = string.Empty;

    public RplEntry? Entry { get; set; }
}
