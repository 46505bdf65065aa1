using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace DaneTools.Core.Dns;

/// <summary>
/// An immutable, fully qualified domain name held as its raw label octets, case preserved.
/// </summary>
/// <remarks>
/// Wire form (RFC 1035 section 3.1): each label as one length octet (1..63) followed by that many octets,
/// ending with the zero-length root label; at most 255 octets in all. Equality and ordering ignore ASCII case
/// only (RFC 4343); other octets compare exactly. Ordering is the canonical order of RFC 4034 section 6.1:
/// labels compared from the rightmost, as lower-cased unsigned octet strings, an absent label sorting first.
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc4034#section-6.1"/>
public sealed class DnsName : IEquatable<DnsName>, IComparable<DnsName>
{
    /// <summary>The maximum length of one label in octets (RFC 1035 section 2.3.4).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>The maximum length of a name in wire form, in octets (RFC 1035 section 2.3.4).</summary>
    public const int MaxWireLength = 255;

    private readonly byte[][] _labels; // leftmost label first; root has none
    private int _hash;

    /// <summary>Gets the root name <c>.</c>.</summary>
    public static DnsName Root { get; } = new DnsName(Array.Empty<byte[]>());

    private DnsName(byte[][] labels) => _labels = labels;

    /// <summary>Gets the number of labels, not counting the root label (the root has 0).</summary>
    public int LabelCount => _labels.Length;

    /// <summary>Gets whether this is the root name.</summary>
    public bool IsRoot => _labels.Length == 0;

    /// <summary>Gets whether the leftmost label is the single octet <c>*</c> (RFC 4592 wildcard owner).</summary>
    public bool IsWildcard => _labels.Length > 0 && _labels[0].Length == 1 && _labels[0][0] == (byte)'*';

    /// <summary>Gets the name with the leftmost label removed.</summary>
    /// <exception cref="InvalidOperationException">The name is the root.</exception>
    public DnsName Parent => _labels.Length == 0
        ? throw new InvalidOperationException("The root name has no parent.")
        : new DnsName(Slice(1, _labels.Length - 1));

    /// <summary>Gets the length of the name in wire form, in octets.</summary>
    public int WireLength
    {
        get
        {
            int n = 1;
            foreach (var l in _labels) n += l.Length + 1;
            return n;
        }
    }

    /// <summary>Returns a copy of one label's octets.</summary>
    /// <param name="index">Index from the left, 0 = leftmost.</param>
    /// <returns>The label's octets as they were given (case preserved).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a label index.</exception>
    public byte[] GetLabel(int index) => (byte[])_labels[index].Clone();

    internal byte[] LabelAt(int index) => _labels[index];

    /// <summary>Parses a name in presentation form (RFC 1035 section 5.1).</summary>
    /// <param name="text">For example <c>www.Example.com.</c>; the trailing dot is optional, <c>.</c> is the root;
    /// <c>\.</c>, <c>\\</c> and <c>\DDD</c> (decimal octet) escapes are honoured. The name is taken as absolute.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">An empty label, a label over 63 octets, a name over 255 octets, or a bad escape.</exception>
    public static DnsName Parse(string text)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));
        if (!TryParse(text, out var name, out var error)) throw new FormatException($"Invalid domain name '{text}': {error}");
        return name!;
    }

    /// <summary>Parses a name in presentation form without throwing.</summary>
    /// <param name="text">The presentation form, as for <see cref="Parse"/>.</param>
    /// <param name="name">The name, or null when parsing failed.</param>
    /// <returns>True when the text was parsed.</returns>
    public static bool TryParse(string? text, out DnsName? name) => TryParse(text, out name, out _);

    internal static bool TryParse(string? text, out DnsName? name, out string? error)
    {
        name = null;
        error = null;
        if (string.IsNullOrEmpty(text)) { error = "empty name"; return false; }
        if (text == ".") { name = Root; return true; }
        var labels = new List<byte[]>();
        var current = new List<byte>();
        int i = 0;
        bool lastWasDot = false;
        while (i < text!.Length)
        {
            char c = text[i];
            if (c == '.')
            {
                if (current.Count == 0) { error = "empty label"; return false; }
                labels.Add(current.ToArray());
                current.Clear();
                lastWasDot = true;
                i++;
                continue;
            }
            lastWasDot = false;
            if (c == '\\')
            {
                if (i + 1 >= text.Length) { error = "dangling escape"; return false; }
                if (IsDigit(text[i + 1]))
                {
                    if (i + 3 >= text.Length || !IsDigit(text[i + 2]) || !IsDigit(text[i + 3])) { error = "\\DDD escape needs three digits"; return false; }
                    int v = ((text[i + 1] - '0') * 100) + ((text[i + 2] - '0') * 10) + (text[i + 3] - '0');
                    if (v > 255) { error = "\\DDD escape above 255"; return false; }
                    current.Add((byte)v);
                    i += 4;
                }
                else
                {
                    if (text[i + 1] > 0x7E) { error = "non-ASCII character"; return false; }
                    current.Add((byte)text[i + 1]);
                    i += 2;
                }
            }
            else
            {
                if (c > 0x7E || c < 0x20) { error = "character outside printable ASCII (use an A-label or \\DDD)"; return false; }
                current.Add((byte)c);
                i++;
            }
            if (current.Count > MaxLabelLength) { error = "label longer than 63 octets"; return false; }
        }
        if (!lastWasDot)
        {
            if (current.Count == 0) { error = "empty label"; return false; }
            labels.Add(current.ToArray());
        }
        var result = new DnsName(labels.ToArray());
        if (result.WireLength > MaxWireLength) { error = "name longer than 255 octets"; return false; }
        name = result;
        return true;
    }

    /// <summary>Creates a name from label octets, leftmost first.</summary>
    /// <param name="labels">The labels, each 1..63 octets; copied.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="labels"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException">A label is empty or over 63 octets, or the name exceeds 255 octets.</exception>
    public static DnsName FromLabels(IEnumerable<byte[]> labels)
    {
        if (labels is null) throw new ArgumentNullException(nameof(labels));
        var list = new List<byte[]>();
        foreach (var l in labels)
        {
            if (l is null) throw new ArgumentNullException(nameof(labels));
            if (l.Length == 0 || l.Length > MaxLabelLength) throw new ArgumentException("Each label must be 1 to 63 octets.", nameof(labels));
            list.Add((byte[])l.Clone());
        }
        var name = new DnsName(list.ToArray());
        if (name.WireLength > MaxWireLength) throw new ArgumentException("The name exceeds 255 octets.", nameof(labels));
        return name;
    }

    /// <summary>Returns the name formed by putting one label in front of this name.</summary>
    /// <param name="label">The new leftmost label in presentation form (escapes allowed), e.g. <c>*</c> or <c>_tcp</c>.</param>
    /// <returns>The longer name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="label"/> is null.</exception>
    /// <exception cref="FormatException">The label is not one valid label or the result exceeds 255 octets.</exception>
    public DnsName Prepend(string label)
    {
        if (label is null) throw new ArgumentNullException(nameof(label));
        var one = Parse(label);
        if (one.LabelCount != 1) throw new FormatException($"'{label}' is not a single label.");
        return Prepend(one._labels[0]);
    }

    internal DnsName Prepend(byte[] label)
    {
        var labels = new byte[_labels.Length + 1][];
        labels[0] = label;
        Array.Copy(_labels, 0, labels, 1, _labels.Length);
        var name = new DnsName(labels);
        if (name.WireLength > MaxWireLength) throw new FormatException("The name exceeds 255 octets.");
        return name;
    }

    /// <summary>Returns the ancestor (or this name) that has the given number of labels.</summary>
    /// <param name="labelCount">0 (the root) to <see cref="LabelCount"/>.</param>
    /// <returns>The rightmost <paramref name="labelCount"/> labels as a name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelCount"/> is negative or above <see cref="LabelCount"/>.</exception>
    public DnsName GetAncestor(int labelCount)
    {
        if (labelCount < 0 || labelCount > _labels.Length) throw new ArgumentOutOfRangeException(nameof(labelCount));
        return labelCount == _labels.Length ? this : new DnsName(Slice(_labels.Length - labelCount, labelCount));
    }

    /// <summary>Returns whether this name equals <paramref name="other"/> or lies below it (ASCII case ignored).</summary>
    /// <param name="other">The possible ancestor.</param>
    /// <returns>True when every label of <paramref name="other"/> matches this name's rightmost labels.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool IsSubdomainOf(DnsName other)
    {
        if (other is null) throw new ArgumentNullException(nameof(other));
        if (other._labels.Length > _labels.Length) return false;
        int offset = _labels.Length - other._labels.Length;
        for (int i = 0; i < other._labels.Length; i++)
        {
            if (!LabelEquals(_labels[offset + i], other._labels[i])) return false;
        }
        return true;
    }

    /// <summary>Returns the name in uncompressed wire form, case preserved.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToWire() => ToWire(false);

    /// <summary>Returns the canonical wire form: uncompressed, ASCII upper case letters lowered (RFC 4034 section 6.2).</summary>
    /// <returns>A new array.</returns>
    public byte[] ToCanonicalWire() => ToWire(true);

    internal byte[] ToWire(bool lowerCase)
    {
        var buffer = new byte[WireLength];
        int p = 0;
        foreach (var l in _labels)
        {
            buffer[p++] = (byte)l.Length;
            for (int i = 0; i < l.Length; i++) buffer[p++] = lowerCase ? Lower(l[i]) : l[i];
        }
        buffer[p] = 0;
        return buffer;
    }

    internal void WriteTo(List<byte> output, bool lowerCase)
    {
        foreach (var l in _labels)
        {
            output.Add((byte)l.Length);
            foreach (var b in l) output.Add(lowerCase ? Lower(b) : b);
        }
        output.Add(0);
    }

    /// <summary>Reads an uncompressed name from wire data.</summary>
    /// <param name="data">The buffer.</param>
    /// <param name="offset">Where the name starts; advanced past it.</param>
    /// <returns>The name.</returns>
    /// <exception cref="FormatException">A compression pointer, a truncated name, or a name over 255 octets.</exception>
    internal static DnsName ReadWire(byte[] data, ref int offset)
    {
        var labels = new List<byte[]>();
        int total = 1;
        while (true)
        {
            if (offset >= data.Length) throw new FormatException("Truncated domain name in RDATA.");
            int len = data[offset++];
            if (len == 0) break;
            if (len > MaxLabelLength) throw new FormatException("Compressed or invalid label in RDATA (names in RDATA must be uncompressed).");
            if (offset + len > data.Length) throw new FormatException("Truncated label in RDATA.");
            var label = new byte[len];
            Buffer.BlockCopy(data, offset, label, 0, len);
            offset += len;
            labels.Add(label);
            total += len + 1;
            if (total > MaxWireLength) throw new FormatException("Domain name longer than 255 octets in RDATA.");
        }
        return labels.Count == 0 ? Root : new DnsName(labels.ToArray());
    }

    /// <summary>Formats the name in presentation form with a trailing dot, escaping special and non-printable octets.</summary>
    /// <returns>For example <c>www.example.com.</c>, or <c>.</c> for the root.</returns>
    public override string ToString()
    {
        if (_labels.Length == 0) return ".";
        // Names are immutable and formatted for every cache key and question: keep the text.
        if (_text is not null) return _text;
        var sb = new StringBuilder();
        foreach (var l in _labels)
        {
            AppendLabel(sb, l);
            sb.Append('.');
        }
        return _text = sb.ToString();
    }

    private string? _text;

    internal static void AppendLabel(StringBuilder sb, byte[] label)
    {
        foreach (var b in label)
        {
            if (b is (byte)'.' or (byte)'\\' or (byte)'"' or (byte)'(' or (byte)')' or (byte)';' or (byte)'@' or (byte)'$')
            {
                sb.Append('\\').Append((char)b);
            }
            else if (b <= 0x20 || b >= 0x7F)
            {
                sb.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append((char)b);
            }
        }
    }

    /// <summary>Compares two names in canonical DNS name order (RFC 4034 section 6.1).</summary>
    /// <param name="other">The other name; null sorts first.</param>
    /// <returns>Negative, zero or positive as this name sorts before, equal to or after <paramref name="other"/>.</returns>
    public int CompareTo(DnsName? other)
    {
        if (other is null) return 1;
        int i = _labels.Length - 1, j = other._labels.Length - 1;
        while (i >= 0 && j >= 0)
        {
            int c = CompareLabels(_labels[i], other._labels[j]);
            if (c != 0) return c;
            i--;
            j--;
        }
        return _labels.Length.CompareTo(other._labels.Length);
    }

    internal static int CompareLabels(byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int k = 0; k < n; k++)
        {
            int c = Lower(a[k]).CompareTo(Lower(b[k]));
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }

    /// <summary>Returns whether two names are equal ignoring ASCII case.</summary>
    /// <param name="other">The other name.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(DnsName? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        if (_labels.Length != other._labels.Length) return false;
        for (int i = 0; i < _labels.Length; i++)
        {
            if (!LabelEquals(_labels[i], other._labels[i])) return false;
        }
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DnsName n && Equals(n);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        if (_hash != 0) return _hash;
        unchecked
        {
            int h = 17;
            foreach (var l in _labels)
            {
                h = (h * 31) + l.Length;
                foreach (var b in l) h = (h * 31) + Lower(b);
            }
            _hash = h == 0 ? 1 : h;
        }
        return _hash;
    }

    /// <summary>Compares two names for equality ignoring ASCII case.</summary>
    /// <param name="left">The left name.</param>
    /// <param name="right">The right name.</param>
    /// <returns>True when both are null or equal.</returns>
    public static bool operator ==(DnsName? left, DnsName? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two names for inequality ignoring ASCII case.</summary>
    /// <param name="left">The left name.</param>
    /// <param name="right">The right name.</param>
    /// <returns>True when they differ.</returns>
    public static bool operator !=(DnsName? left, DnsName? right) => !(left == right);

    internal static bool LabelEquals(byte[] a, byte[] b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
        {
            if (Lower(a[i]) != Lower(b[i])) return false;
        }
        return true;
    }

    internal static byte Lower(byte b) => b >= (byte)'A' && b <= (byte)'Z' ? (byte)(b + 32) : b;

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private byte[][] Slice(int start, int count)
    {
        var result = new byte[count][];
        Array.Copy(_labels, start, result, 0, count);
        return result;
    }
}
