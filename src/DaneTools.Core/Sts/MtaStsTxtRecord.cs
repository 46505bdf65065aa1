using System;
using System.Collections.Generic;
using System.Linq;

namespace DaneTools.Core.Sts;

/// <summary>
/// The MTA-STS TXT record at <c>_mta-sts.&lt;domain&gt;</c> (RFC 8461 section 3.1): the version, the policy <c>id</c>
/// and any extension fields. Immutable.
/// </summary>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc8461#section-3.1"/>
public sealed class MtaStsTxtRecord
{
    /// <summary>The prefix a record must start with to be considered at all (case-sensitive).</summary>
    public const string VersionPrefix = "v=STSv1;";

    private MtaStsTxtRecord(string text, string id, IReadOnlyList<KeyValuePair<string, string>> extensions)
    {
        Text = text;
        Id = id;
        Extensions = extensions;
    }

    /// <summary>Gets the record text (its character-strings concatenated).</summary>
    public string Text { get; }

    /// <summary>Gets the policy id: 1-32 letters and digits.</summary>
    public string Id { get; }

    /// <summary>Gets the extension fields in record order (ignored by the policy, kept for reports).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extensions { get; }

    /// <summary>Parses one record's text per the ABNF of RFC 8461 section 3.1.</summary>
    /// <param name="text">The record text, character-strings already concatenated.</param>
    /// <param name="record">The record, or null.</param>
    /// <param name="error">Why the text is not a record, or null.</param>
    /// <returns>Whether the text is a valid record.</returns>
    public static bool TryParse(string? text, out MtaStsTxtRecord? record, out string? error)
    {
        record = null;
        error = null;
        var s = text ?? string.Empty;
        if (!s.StartsWith("v=STSv1", StringComparison.Ordinal)) { error = "The record does not start with 'v=STSv1'."; return false; }
        int i = "v=STSv1".Length;
        string? id = null;
        var extensions = new List<KeyValuePair<string, string>>();
        int fields = 0;
        while (TxtRecordFields.Next(s, ref i, out var name, out error))
        {
            int end = TxtRecordFields.ValueEnd(s, i);
            var value = s.Substring(i, end - i);
            i = end;
            fields++;
            if (name == "id")
            {
                if (value.Length is < 1 or > 32 || !value.All(IsAlnum)) { error = $"The id '{value}' is not 1-32 letters and digits."; return false; }
                id ??= value; // a repeated id keeps the first, as the policy keeps first values
            }
            else
            {
                if (!IsExtensionName(name)) { error = $"'{name}' is not a field name."; return false; }
                if (value.Length == 0 || value.Any(c => c < 0x21 || c > 0x7E || c == '=' || c == ';')) { error = $"The value of '{name}' is not valid."; return false; }
                extensions.Add(new KeyValuePair<string, string>(name, value));
            }
        }
        if (error is not null) return false;
        if (fields == 0) { error = "The record has no fields after the version."; return false; }
        if (id is null) { error = "The record has no 'id' field."; return false; }
        record = new MtaStsTxtRecord(s, id, extensions);
        return true;
    }

    internal static bool IsAlnum(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9';

    // sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
    internal static bool IsExtensionName(string name) =>
        name.Length is >= 1 and <= 32 && IsAlnum(name[0]) && name.Skip(1).All(c => IsAlnum(c) || c is '_' or '-' or '.');

    /// <inheritdoc/>
    public override string ToString() => Text;
}
