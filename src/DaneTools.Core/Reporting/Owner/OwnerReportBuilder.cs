using System;
using System.Collections.Generic;
using System.Linq;

namespace DaneTools.Core.Reporting.Owner;

/// <summary>
/// Collects Test-DaneDomain (<c>DaneDomainResult</c>) and Test-DnssecChain (<c>DnssecChainResult</c>) results, live or
/// deserialised, and builds the report for the recipient domains' administrators (Export-DaneReport).
/// </summary>
/// <remarks>Results are read by property name through <see cref="IResultView"/>, so this part names no other part of
/// the engine (DESIGN section 15). Several Test-DaneDomain results for one domain (e.g. yesterday's from Import-Clixml
/// and today's) make one section: the newest is reported, the older ones give the date it has failed since. A DNSSEC chain result joins the section of the domain whose name, MX host or TLSA base
/// domain it is at or under; otherwise it gets a section of its own.</remarks>
public sealed class OwnerReportBuilder
{
    private readonly List<ReportDomain> _domains = new();
    private readonly List<ReportChain> _chains = new();
    private readonly List<bool> _chainCut = new();

    /// <summary>Gets how many results were added.</summary>
    public int Count => _domains.Count + _chains.Count;

    /// <summary>Adds one result.</summary>
    /// <param name="result">A DaneDomainResult or DnssecChainResult (or its <c>Deserialized.</c> form).</param>
    /// <param name="error">Why the object was refused, or null.</param>
    /// <returns>True when the object was a result the report can use.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    public bool TryAdd(IResultView result, out string? error)
    {
        if (result is null) throw new ArgumentNullException(nameof(result));
        error = null;
        if (result.IsType(ReportReader.DaneDomainResultType))
        {
            var d = ReportReader.ReadDomain(result);
            if (d.DomainName.Length == 0) { error = "the Test-DaneDomain result has no DomainName"; return false; }
            // Earlier results for the same domain (yesterday's Import-Clixml beside today's) are its history: the
            // newest is reported, the others say since when it fails.
            var index = _domains.FindIndex(x => ReportAdvisor.SameName(x.DomainName, d.DomainName));
            if (index < 0) { _domains.Add(d); return true; }
            var old = _domains[index];
            var (newer, older) = (d.CheckedUtc ?? DateTime.MinValue) >= (old.CheckedUtc ?? DateTime.MinValue) ? (d, old) : (old, d);
            newer.History.AddRange(older.History);
            newer.History.Add(new ReportCheck { CheckedUtc = older.CheckedUtc, Status = older.Status });
            newer.History.Sort((a, b) => Nullable.Compare(a.CheckedUtc, b.CheckedUtc));
            _domains[index] = newer;
            return true;
        }
        if (result.IsType(ReportReader.DnssecChainResultType))
        {
            bool cut = false;
            var c = ReportReader.ReadChain(result, ref cut);
            if (c.QueryName.Length == 0) { error = "the Test-DnssecChain result has no Name"; return false; }
            _chains.Add(c);
            _chainCut.Add(cut);
            return true;
        }
        var type = result.TypeNames.FirstOrDefault() ?? "an object";
        error = $"{type} is not a Test-DaneDomain or Test-DnssecChain result";
        return false;
    }

    /// <summary>Builds the reports: one holding every domain, or one per domain.</summary>
    /// <param name="perDomain">True for one report per recipient domain (and per stand-alone chain).</param>
    /// <param name="settings">Version and time for the footer.</param>
    /// <returns>The reports, in input order; empty when nothing was added.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> is null.</exception>
    public IReadOnlyList<OwnerReport> Build(bool perDomain, OwnerReportSettings settings)
    {
        if (settings is null) throw new ArgumentNullException(nameof(settings));
        var domains = _domains.ToList();
        for (int i = 0; i < _chains.Count; i++)
        {
            var c = _chains[i];
            var home = domains.FirstOrDefault(d => d.HasDaneResult && Belongs(c.QueryName, d))
                       ?? domains.FirstOrDefault(d => !d.HasDaneResult && ReportAdvisor.SameName(d.DomainName, c.QueryName));
            if (home is null)
            {
                home = new ReportDomain { DomainName = c.QueryName, CheckedUtc = c.CheckedUtc };
                domains.Add(home);
            }
            home.Chains.Add(c);
            home.DetailCut |= _chainCut[i];
        }
        foreach (var d in domains)
        {
            foreach (var c in d.Chains)
            {
                foreach (var s in c.Servers.Where(s => !d.Servers.Contains(s))) d.Servers.Add(s);
                if (c.TrustAnchor.Length > 0 && !d.TrustAnchors.Contains(c.TrustAnchor)) d.TrustAnchors.Add(c.TrustAnchor);
            }
            ReportAdvisor.Advise(d);
        }
        if (domains.Count == 0) return Array.Empty<OwnerReport>();
        return perDomain ? domains.Select(d => new OwnerReport(new[] { d }, settings)).ToList() : new[] { new OwnerReport(domains, settings) };
    }

    private static bool Belongs(string name, ReportDomain d)
    {
        var names = new List<string> { d.DomainName };
        foreach (var h in d.Hosts) names.AddRange(new[] { h.HostName, h.ExpandedHostName, h.TlsaBaseDomain }.Where(n => n.Length > 0));
        var n = ReportReader.Trim(name);
        return names.Any(x => ReportAdvisor.SameName(n, x) || n.EndsWith("." + ReportReader.Trim(x), StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>What the report says about itself: the tool version and when it was written.</summary>
public sealed class OwnerReportSettings
{
    /// <summary>Gets or sets the DaneTools version shown in the footer. Default is empty.</summary>
    public string ToolVersion { get; set; } = string.Empty;

    /// <summary>Gets or sets when the report was written, UTC. Default is the time the settings were created.</summary>
    public DateTime GeneratedUtc { get; set; } = DateTime.UtcNow;
}

/// <summary>One report (one file): the sections of one or more recipient domains, rendered as HTML or as a plain-text letter.</summary>
public sealed class OwnerReport
{
    private readonly IReadOnlyList<ReportDomain> _domains;
    private readonly OwnerReportSettings _settings;

    internal OwnerReport(IReadOnlyList<ReportDomain> domains, OwnerReportSettings settings)
    {
        _domains = domains;
        _settings = settings;
    }

    internal IReadOnlyList<ReportDomain> Domains => _domains;

    /// <summary>Gets the domains (or chain names) the report covers, in order.</summary>
    public IReadOnlyList<string> DomainNames => _domains.Select(d => d.DomainName).ToList();

    /// <summary>Gets a file name stem made from the first domain name: lower-case letters, digits, '.', '-' and '_' only.</summary>
    public string FileStem => SafeFileStem(_domains.Count > 0 ? _domains[0].DomainName : "report");

    /// <summary>Renders the report as one self-contained, well-formed XHTML page (inline CSS and SVG, no script, no external reference).</summary>
    /// <returns>The page, UTF-8 text starting with <c>&lt;!DOCTYPE html&gt;</c>.</returns>
    public string ToHtml() => HtmlReportWriter.Write(_domains, _settings);

    /// <summary>Renders the report as a plain-text letter to the domains' postmasters.</summary>
    /// <returns>The letter, lines of at most 78 characters except records and digests.</returns>
    public string ToText() => TextReportWriter.Write(_domains, _settings);

    /// <summary>Makes a file name stem from a domain name: letters are lower-cased, characters other than a-z, 0-9, '.', '-'
    /// and '_' become '_', leading dots are dropped, and the result is at most 100 characters and never a reserved device name.</summary>
    /// <param name="name">The domain name.</param>
    /// <returns>The stem, never empty.</returns>
    public static string SafeFileStem(string name)
    {
        var chars = (name ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant()
            .Select(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-' or '_' ? c : '_').ToArray();
        var stem = new string(chars).TrimStart('.');
        while (stem.Contains("..")) stem = stem.Replace("..", ".");
        if (stem.Length > 100) stem = stem.Substring(0, 100);
        if (stem.Length == 0) stem = "report";
        var device = stem.Split('.')[0];
        if (device is "con" or "prn" or "aux" or "nul" || device.Length == 4 && (device.StartsWith("com", StringComparison.Ordinal) || device.StartsWith("lpt", StringComparison.Ordinal)) && char.IsDigit(device[3]))
            stem = "_" + stem;
        return stem;
    }
}
