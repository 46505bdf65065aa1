using System;
using System.Collections.Generic;
using System.Text;

namespace DaneTools.Core.Dns;

/// <summary>One token of a presentation line: its raw text (escapes not yet decoded) and whether it was quoted.</summary>
internal readonly struct PresentationToken
{
    public PresentationToken(string text, bool quoted)
    {
        Text = text;
        Quoted = quoted;
    }

    public string Text { get; }

    public bool Quoted { get; }

    public override string ToString() => Quoted ? "\"" + Text + "\"" : Text;
}

/// <summary>
/// Splits one master-file line into tokens (RFC 1035 section 5.1): white space separates, <c>"..."</c> quotes,
/// <c>\</c> escapes, <c>;</c> starts a comment, parentheses are grouping only and dropped.
/// </summary>
internal static class PresentationTokenizer
{
    public static List<PresentationToken> Tokenize(string line)
    {
        var tokens = new List<PresentationToken>();
        var sb = new StringBuilder();
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (c == ';') break;
            if (char.IsWhiteSpace(c) || c == '(' || c == ')')
            {
                i++;
                continue;
            }
            sb.Clear();
            if (c == '"')
            {
                i++;
                bool closed = false;
                while (i < line.Length)
                {
                    char q = line[i];
                    if (q == '\\' && i + 1 < line.Length)
                    {
                        sb.Append(q).Append(line[i + 1]);
                        i += 2;
                        continue;
                    }
                    if (q == '"') { closed = true; i++; break; }
                    sb.Append(q);
                    i++;
                }
                if (!closed) throw new FormatException("Unterminated quoted string.");
                tokens.Add(new PresentationToken(sb.ToString(), true));
                continue;
            }
            while (i < line.Length)
            {
                char t = line[i];
                if (t == '\\' && i + 1 < line.Length)
                {
                    sb.Append(t).Append(line[i + 1]);
                    i += 2;
                    continue;
                }
                if (char.IsWhiteSpace(t) || t == '(' || t == ')' || t == ';' || t == '"') break;
                sb.Append(t);
                i++;
            }
            tokens.Add(new PresentationToken(sb.ToString(), false));
        }
        return tokens;
    }

    /// <summary>Decodes a character-string token's escapes (<c>\X</c>, <c>\DDD</c>) into octets.</summary>
    public static byte[] DecodeCharacterString(string raw, int maxLength = 255)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c == '\\')
            {
                if (i + 1 >= raw.Length) throw new FormatException("Dangling escape in character-string.");
                if (char.IsDigit(raw[i + 1]))
                {
                    if (i + 3 >= raw.Length || !char.IsDigit(raw[i + 2]) || !char.IsDigit(raw[i + 3])) throw new FormatException("\\DDD escape needs three digits.");
                    int v = ((raw[i + 1] - '0') * 100) + ((raw[i + 2] - '0') * 10) + (raw[i + 3] - '0');
                    if (v > 255) throw new FormatException("\\DDD escape above 255.");
                    bytes.Add((byte)v);
                    i += 3;
                }
                else
                {
                    AddChar(bytes, raw[i + 1]);
                    i++;
                }
            }
            else
            {
                AddChar(bytes, c);
            }
        }
        if (bytes.Count > maxLength) throw new FormatException("Character-string longer than 255 octets.");
        return bytes.ToArray();
    }

    private static void AddChar(List<byte> bytes, char c)
    {
        if (c < 0x80) bytes.Add((byte)c);
        else bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
    }

    /// <summary>Formats octets as a quoted character-string with <c>\"</c>, <c>\\</c> and <c>\DDD</c> escapes.</summary>
    public static string EncodeCharacterString(byte[] data, int offset, int length)
    {
        var sb = new StringBuilder("\"");
        for (int i = offset; i < offset + length; i++)
        {
            byte b = data[i];
            if (b == (byte)'"' || b == (byte)'\\') sb.Append('\\').Append((char)b);
            else if (b < 0x20 || b >= 0x7F) sb.Append('\\').Append(b.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            else sb.Append((char)b);
        }
        return sb.Append('"').ToString();
    }
}
