using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;

namespace DaneTools.Core.Reporting.Owner;

// Draws a DNSSEC chain as SVG in DNSViz's manner: one box per zone from the anchor down, DS (from the parent) above
// the zone's DNSKEYs, arrows DS -> DNSKEY and key -> what it signs, the first broken link drawn red with its reason,
// then the CNAME/DNAME steps and the answer RRset. Everything is built as XElement, so every string is escaped.
internal sealed class ChainSvg
{
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private const int NodeWidth = 180, NodeHeight = 40, Gap = 16, Margin = 20, ZoneHeight = 150, StepHeight = 70;

    private readonly string _id;
    private readonly List<XElement> _shapes = new();
    private readonly List<XElement> _edges = new();
    private readonly Dictionary<string, (double X, double Y)> _nodes = new(StringComparer.OrdinalIgnoreCase);
    private int _width;

    private ChainSvg(string id) => _id = id;

    public static XElement Draw(ReportChain chain, string id)
    {
        var svg = new ChainSvg(id);
        return svg.DrawChain(chain);
    }

    public static XElement Draw(IReadOnlyList<ReportLookup> lookups, string title, string id)
    {
        var svg = new ChainSvg(id);
        return svg.DrawLookups(lookups, title);
    }

    private XElement DrawChain(ReportChain chain)
    {
        int maxRow = Math.Max(3, chain.Zones.Select(z => Math.Max(z.Ds.Count, z.Keys.Count)).DefaultIfEmpty(1).Max());
        _width = Math.Max(640, Margin * 2 + maxRow * (NodeWidth + Gap));
        double y = Margin;
        bool brokenDrawn = false;
        ReportZone? previous = null;
        foreach (var zone in chain.Zones)
        {
            bool broken = !brokenDrawn && zone.Status is "Bogus" or "Indeterminate";
            DrawZone(zone, previous, y, broken, chain);
            brokenDrawn |= broken;
            previous = zone;
            y += ZoneHeight + Gap * 2;
        }
        string? from = previous is null ? null : SignerNode(previous, chain.AnswerSignatures);
        foreach (var alias in chain.Aliases)
        {
            var key = "alias:" + alias.Owner;
            Box(key, Margin, y, _width - Margin * 2, NodeHeight, $"{alias.Owner} {alias.Type} {alias.Target}", alias.Status, Css(alias.Status), "step");
            if (from is not null) Edge(from, key, alias.Status == "Secure" ? "ok" : "bad", alias.Type == "DNAME" ? "DNAME step" : "CNAME step", false);
            from = key;
            y += StepHeight;
        }
        var answerStatus = chain.Status;
        bool answerBroken = !brokenDrawn && answerStatus is "Bogus" or "Indeterminate";
        if (answerBroken) y += 24; // room for the broken link's label
        var label = $"{(chain.FinalName.Length > 0 ? chain.FinalName : chain.QueryName)} {chain.Type}: {answerStatus}" +
                    (chain.Records.Count > 0 ? $" ({chain.Records.Count.ToString(CultureInfo.InvariantCulture)} records)" : chain.ReasonCode.Length > 0 ? $" ({chain.ReasonCode})" : string.Empty);
        Box("answer", Margin, y, _width - Margin * 2, NodeHeight, label, string.Join("\n", chain.Records.Take(8)), Css(answerStatus), "answer");
        if (from is not null)
        {
            Edge(from, "answer", answerBroken ? "bad" : answerStatus == "Secure" ? "ok" : "insecure",
                answerBroken ? Short($"✗ {chain.ReasonCode}: {chain.Reason}") : "signs", answerBroken);
        }
        y += NodeHeight + Margin;
        return Finish(y, $"DNSSEC chain for {chain.QueryName} {chain.Type}: {chain.Status}");
    }

    private void DrawZone(ReportZone zone, ReportZone? parent, double y, bool broken, ReportChain chain)
    {
        var css = Css(zone.Status);
        _shapes.Add(new XElement(Svg + "rect", Attr("class", "zone " + css), Attr("x", Margin / 2), Attr("y", y), Attr("width", _width - Margin),
            Attr("height", ZoneHeight), Attr("rx", 10)));
        _shapes.Add(Text(Margin, y + 16, $"{(zone.Name == "." ? ". (root)" : zone.Name)}  {zone.Status}{(zone.IsTrustAnchor ? "  trust anchor" : string.Empty)}", "zone-label"));
        double dsY = y + 28, keyY = y + 28 + NodeHeight + 30;
        for (int i = 0; i < zone.Ds.Count; i++)
        {
            var ds = zone.Ds[i];
            var key = $"ds:{zone.Name}:{i}";
            Box(key, Margin + i * (NodeWidth + Gap), dsY, NodeWidth, NodeHeight,
                $"DS {ds.KeyTag} alg {ds.Algorithm} dig {ds.DigestType}", $"{zone.Name} DS {ds.KeyTag} {ds.Algorithm} {ds.DigestType} {ds.Digest}",
                ds.MatchesKey ? "secure" : zone.Status == "Secure" && !ds.Usable ? "insecure" : "bogus", zone.IsTrustAnchor ? "anchor" : "ds");
        }
        if (zone.Ds.Count == 0 && zone.Status == "Insecure")
            _shapes.Add(Text(Margin, dsY + 24, "no DS at the parent (proven unsigned delegation)", "note"));
        for (int i = 0; i < zone.Keys.Count; i++)
        {
            var k = zone.Keys[i];
            Box($"key:{zone.Name}:{k.KeyTag}", Margin + i * (NodeWidth + Gap), keyY, NodeWidth, NodeHeight,
                $"DNSKEY {k.KeyTag} alg {k.Algorithm} {k.Role}{(k.IsRevoked ? " REVOKED" : string.Empty)}", k.Record,
                k.MatchesDs || k.SignedKeySet ? "secure" : zone.Status == "Secure" ? "neutral" : Css(zone.Status), k.IsSep ? "ksk" : "zsk");
        }
        // DS -> DNSKEY: the parent's hash of the key.
        for (int i = 0; i < zone.Ds.Count; i++)
        {
            var ds = zone.Ds[i];
            var target = zone.Keys.FirstOrDefault(k => k.KeyTag == ds.KeyTag && k.Algorithm == ds.Algorithm);
            if (target is not null && ds.MatchesKey) Edge($"ds:{zone.Name}:{i}", $"key:{zone.Name}:{target.KeyTag}", "ok", string.Empty, false);
            else if (broken)
            {
                var to = target ?? zone.Keys.FirstOrDefault(k => k.IsSep) ?? zone.Keys.FirstOrDefault();
                if (to is not null) Edge($"ds:{zone.Name}:{i}", $"key:{zone.Name}:{to.KeyTag}", "bad", Short($"✗ {zone.ReasonCode}: {zone.Reason}"), true);
            }
        }
        // KSK -> the other keys: the key set's signature.
        foreach (var ksk in zone.Keys.Where(k => k.SignedKeySet))
            foreach (var other in zone.Keys.Where(k => k != ksk && !k.SignedKeySet))
                Edge($"key:{zone.Name}:{ksk.KeyTag}", $"key:{zone.Name}:{other.KeyTag}", "ok", "signs DNSKEY", false);
        // Parent key -> this zone's DS RRset.
        if (parent is not null && zone.Ds.Count > 0)
        {
            var signer = SignerOf(parent, zone, chain) ?? parent.Keys.FirstOrDefault(k => !k.IsSep) ?? parent.Keys.FirstOrDefault();
            if (signer is not null) Edge($"key:{parent.Name}:{signer.KeyTag}", $"ds:{zone.Name}:0", parent.Status == "Secure" ? "ok" : "insecure", "signs DS", false);
        }
        if (broken && (zone.Ds.Count == 0 || zone.Keys.Count == 0 || zone.Ds.Any(ds => zone.Keys.Any(k => k.KeyTag == ds.KeyTag && ds.MatchesKey))))
        {
            var lines = Wrap($"✗ {zone.ReasonCode}: {zone.Reason}", (int)((_width - Margin * 2) / 6.6), 2);
            for (int i = 0; i < lines.Count; i++) _shapes.Add(Text(Margin, y + ZoneHeight - 22 + i * 13, lines[i], "broken-label"));
        }
    }

    private static ReportKey? SignerOf(ReportZone parent, ReportZone zone, ReportChain chain)
    {
        var sig = parent.Signatures.Concat(zone.Signatures).Concat(chain.AnswerSignatures)
            .FirstOrDefault(s => s.TypeCovered == "DS" && ReportAdvisor.SameName(s.Owner, zone.Name));
        return sig is null ? null : parent.Keys.FirstOrDefault(k => k.KeyTag == sig.KeyTag);
    }

    private string? SignerNode(ReportZone last, IReadOnlyList<ReportSignature> answer)
    {
        var tag = answer.Select(s => (long?)s.KeyTag).FirstOrDefault();
        var key = last.Keys.FirstOrDefault(k => k.KeyTag == tag) ?? last.Keys.FirstOrDefault(k => !k.IsSep) ?? last.Keys.FirstOrDefault();
        if (key is not null) return $"key:{last.Name}:{key.KeyTag}";
        return null;
    }

    private XElement DrawLookups(IReadOnlyList<ReportLookup> lookups, string title)
    {
        _width = 700;
        double y = Margin;
        _shapes.Add(Text(Margin, y + 10, "Validated lookups of the check (the per-zone chain is in Test-DnssecChain's result)", "note"));
        y += 24;
        string? previous = null;
        int i = 0;
        foreach (var l in lookups)
        {
            foreach (var step in l.CnameChain)
            {
                var stepKey = $"cname:{i++}";
                Box(stepKey, Margin + 30, y, _width - Margin * 2 - 30, NodeHeight - 8, step, step, step.Contains("(Secure)") ? "secure" : "insecure", "step");
                if (previous is not null) Edge(previous, stepKey, "ok", "CNAME step", false);
                previous = stepKey;
                y += StepHeight - 10;
            }
            var key = $"lookup:{i++}";
            var bad = l.Status is "Bogus" or "Indeterminate";
            Box(key, Margin, y, _width - Margin * 2, NodeHeight, $"{l.QueryName} {l.Type}: {l.Status}{(l.ReasonCode.Length > 0 ? " (" + l.ReasonCode + ")" : string.Empty)}",
                string.Join("\n", l.Records.Take(8).Prepend(l.Reason)), Css(l.Status), "answer");
            if (bad)
            {
                var lines = Wrap($"✗ {l.ReasonCode}: {l.Reason}", (int)((_width - Margin * 2) / 6.6), 2);
                for (int n = 0; n < lines.Count; n++) _shapes.Add(Text(Margin + 10, y + NodeHeight + 14 + n * 13, lines[n], "broken-label"));
                y += 14;
            }
            if (previous is not null) Edge(previous, key, bad ? "bad" : previous.StartsWith("cname", StringComparison.Ordinal) ? "ok" : "insecure", string.Empty, false);
            previous = key;
            y += StepHeight + (bad ? 10 : 0);
        }
        return Finish(y + Margin, title);
    }

    private void Box(string key, double x, double y, double w, double h, string label, string detail, string css, string kind)
    {
        _nodes[key] = (x + w / 2, y + h / 2);
        _nodes[key + "#top"] = (x + w / 2, y);
        _nodes[key + "#bottom"] = (x + w / 2, y + h);
        var g = new XElement(Svg + "g", Attr("class", $"node {kind} {css}"),
            new XElement(Svg + "title", Clean(detail.Length > 0 ? label + "\n" + detail : label)),
            new XElement(Svg + "rect", Attr("x", x), Attr("y", y), Attr("width", w), Attr("height", h), Attr("rx", kind is "ds" or "anchor" ? 18 : 4)));
        var lines = Wrap(label, (int)(w / 6.6), 2);
        for (int i = 0; i < lines.Count; i++) g.Add(Text(x + 8, y + 16 + i * 14, lines[i], "label"));
        _shapes.Add(g);
    }

    private void Edge(string from, string to, string css, string label, bool labelled)
    {
        if (!_nodes.TryGetValue(from + "#bottom", out var a) || !_nodes.TryGetValue(to + "#top", out var b)) return;
        if (b.Y <= a.Y) { a = _nodes[from]; b = _nodes[to]; }
        var line = new XElement(Svg + "line", Attr("class", "edge " + css), Attr("x1", a.X), Attr("y1", a.Y), Attr("x2", b.X), Attr("y2", b.Y - 2),
            Attr("marker-end", $"url(#{_id}-{css})"));
        if (label.Length > 0) line.Add(new XElement(Svg + "title", Clean(label)));
        _edges.Add(line);
        if (label.Length > 0 && (labelled || css != "ok"))
        {
            double x = (a.X + b.X) / 2 + 6, y = (a.Y + b.Y) / 2;
            var lines = Wrap(label, Math.Max(20, (int)((_width - x - 8) / 6.6)), 2);
            for (int i = 0; i < lines.Count; i++) _edges.Add(Text(x, y + i * 13 - (lines.Count - 1) * 6, lines[i], css == "bad" ? "broken-label" : "edge-label"));
        }
    }

    private XElement Finish(double height, string title)
    {
        var defs = new XElement(Svg + "defs");
        foreach (var css in new[] { "ok", "bad", "insecure" })
        {
            defs.Add(new XElement(Svg + "marker", Attr("id", $"{_id}-{css}"), Attr("viewBox", "0 0 10 10"), Attr("refX", 9), Attr("refY", 5),
                Attr("markerWidth", 7), Attr("markerHeight", 7), Attr("orient", "auto"),
                new XElement(Svg + "path", Attr("d", "M0,0 L10,5 L0,10 z"), Attr("class", "arrow " + css))));
        }
        return new XElement(Svg + "svg", Attr("id", _id), Attr("class", "chain"), Attr("role", "img"), Attr("aria-label", Clean(title)),
            Attr("width", _width), Attr("height", Math.Ceiling(height)), Attr("viewBox", $"0 0 {_width} {Math.Ceiling(height).ToString(CultureInfo.InvariantCulture)}"),
            new XElement(Svg + "title", Clean(title)), defs, _shapes, _edges);
    }

    private static XElement Text(double x, double y, string text, string css) =>
        new(Svg + "text", Attr("x", x), Attr("y", y), Attr("class", css), Clean(text));

    private static XAttribute Attr(string name, object value) =>
        new(name, value is double d ? d.ToString("0.#", CultureInfo.InvariantCulture) : value is int i ? i.ToString(CultureInfo.InvariantCulture) : Clean(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));

    internal static string Css(string status) => status switch
    {
        "Secure" => "secure",
        "Insecure" => "insecure",
        "Bogus" => "bogus",
        "Indeterminate" => "bogus",
        _ => "neutral",
    };

    private static string Short(string text) => text.Length <= 96 ? text : text.Substring(0, 95) + "…";

    private static List<string> Wrap(string text, int width, int maxLines)
    {
        var lines = new List<string>();
        var rest = text;
        while (rest.Length > width && lines.Count < maxLines - 1)
        {
            int cut = rest.LastIndexOf(' ', Math.Min(width, rest.Length - 1));
            if (cut <= 0) cut = width;
            lines.Add(rest.Substring(0, cut));
            rest = rest.Substring(cut).TrimStart();
        }
        lines.Add(rest.Length > width ? rest.Substring(0, width - 1) + "…" : rest);
        return lines;
    }

    /// <summary>Drops characters XML cannot carry (control characters from a hostile name or certificate), so the
    /// document stays well formed; everything else is escaped by the XML writer.</summary>
    internal static string Clean(string text)
    {
        var b = new System.Text.StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { b.Append(c).Append(text[++i]); continue; }
            b.Append(XmlOk(c) && !char.IsSurrogate(c) ? c : '\uFFFD');
        }
        return b.ToString();
    }

    private static bool XmlOk(char c) => c is '\t' or '\n' or '\r' || (c >= ' ' && c != '\uFFFE' && c != '\uFFFF');
}
