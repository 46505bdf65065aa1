namespace DaneTools.Core.Sts;

/// <summary>
/// The field walk shared by the MTA-STS and TLS-RPT TXT records (RFC 8461 section 3.1, RFC 8460 section 3): after the
/// version, <c>field-delim = *WSP ";" *WSP</c> then <c>name=value</c>, with one trailing delimiter allowed.
/// </summary>
internal static class TxtRecordFields
{
    /// <summary>Moves past the next delimiter to the next field.</summary>
    /// <param name="s">The record text.</param>
    /// <param name="i">The position after the previous field; on a field, the position after its '='.</param>
    /// <param name="name">The field name, or empty.</param>
    /// <param name="error">Why the text is malformed, or null.</param>
    /// <returns>Whether a field follows (false at the end, or with <paramref name="error"/> set).</returns>
    public static bool Next(string s, ref int i, out string name, out string? error)
    {
        name = string.Empty;
        error = null;
        SkipWsp(s, ref i);
        if (i >= s.Length) return false;
        if (s[i] != ';') { error = $"Expected ';' at position {i + 1}."; return false; }
        i++;
        SkipWsp(s, ref i);
        if (i >= s.Length) return false; // one trailing delimiter is allowed
        int eq = s.IndexOf('=', i);
        if (eq < 0) { error = $"Field at position {i + 1} has no '='."; return false; }
        name = s.Substring(i, eq - i);
        i = eq + 1;
        return true;
    }

    /// <summary>Returns the end of a value that runs to ';' or WSP.</summary>
    public static int ValueEnd(string s, int start)
    {
        int end = start;
        while (end < s.Length && s[end] != ';' && s[end] != ' ' && s[end] != '\t') end++;
        return end;
    }

    private static void SkipWsp(string s, ref int i)
    {
        while (i < s.Length && (s[i] == ' ' || s[i] == '\t')) i++;
    }
}
