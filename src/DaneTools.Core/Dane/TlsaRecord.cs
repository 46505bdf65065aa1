using System;
using System.Globalization;
using System.Text;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Dane;

/// <summary>
/// One TLSA record's RDATA: certificate usage, selector, matching type and certificate association data.
/// </summary>
/// <remarks>
/// Wire layout (RFC 6698 section 2.1): one octet usage, one octet selector, one octet matching type, then the
/// certificate association data to the end of the RDATA. Presentation form (section 2.2) is the three fields as
/// decimal numbers followed by the data in hexadecimal, which may be split by white space. RFC 7218 mnemonics
/// (<c>DANE-EE SPKI SHA2-256</c>) are accepted on input and used by <see cref="Mnemonic"/>.
/// Instances are immutable.
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc6698#section-2"/>
public sealed class TlsaRecord : IEquatable<TlsaRecord>
{
    private readonly byte[] _data;

    /// <summary>Creates a record from its four fields; the data is copied.</summary>
    /// <param name="usage">Certificate usage (any octet value, known or not).</param>
    /// <param name="selector">Selector (any octet value).</param>
    /// <param name="matchingType">Matching type (any octet value).</param>
    /// <param name="associationData">Certificate association data.</param>
    /// <exception cref="ArgumentNullException"><paramref name="associationData"/> is null.</exception>
    public TlsaRecord(TlsaUsage usage, TlsaSelector selector, TlsaMatchingType matchingType, byte[] associationData)
    {
        if (associationData is null) throw new ArgumentNullException(nameof(associationData));
        Usage = usage;
        Selector = selector;
        MatchingType = matchingType;
        _data = (byte[])associationData.Clone();
    }

    /// <summary>Gets the certificate usage.</summary>
    public TlsaUsage Usage { get; }

    /// <summary>Gets the selector.</summary>
    public TlsaSelector Selector { get; }

    /// <summary>Gets the matching type.</summary>
    public TlsaMatchingType MatchingType { get; }

    /// <summary>Gets the length of the certificate association data in octets.</summary>
    public int DataLength => _data.Length;

    /// <summary>Gets the certificate association data as upper-case hexadecimal.</summary>
    public string AssociationDataHex => Hex.Encode(_data);

    /// <summary>Returns a copy of the certificate association data.</summary>
    /// <returns>A new array holding the data.</returns>
    public byte[] GetAssociationData() => (byte[])_data.Clone();

    internal byte[] Data => _data;

    /// <summary>Gets the RFC 7218 mnemonic of the three parameters, e.g. <c>DANE-EE SPKI SHA2-256</c>.</summary>
    public string Mnemonic => $"{UsageMnemonic(Usage)} {SelectorMnemonic(Selector)} {MatchingTypeMnemonic(MatchingType)}";

    /// <summary>
    /// Gets whether the parameters are known and, for digests, the data has the digest's length. A record that is
    /// not well formed is "unusable" (RFC 7671 section 4.1). Full(0) data is checked only by the matcher, which
    /// must parse it as a certificate or public key.
    /// </summary>
    public bool IsWellFormed =>
        (Usage <= TlsaUsage.DaneEe) && (Selector <= TlsaSelector.SubjectPublicKeyInfo) && MatchingType switch
        {
            TlsaMatchingType.Full => _data.Length > 0,
            TlsaMatchingType.Sha256 => _data.Length == 32,
            TlsaMatchingType.Sha512 => _data.Length == 64,
            _ => false,
        };

    /// <summary>
    /// Gets whether the record can authenticate an SMTP server: DANE-TA(2) or DANE-EE(3) and well formed
    /// (RFC 7672 section 3.1.3: PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP).
    /// </summary>
    /// <seealso href="https://www.rfc-editor.org/rfc/rfc7672#section-3.1.3"/>
    public bool IsUsableForSmtp => (Usage == TlsaUsage.DaneTa || Usage == TlsaUsage.DaneEe) && IsWellFormed;

    /// <summary>Formats the RDATA in presentation form with numeric fields, e.g. <c>3 1 1 0A1B...</c>.</summary>
    /// <returns>The presentation form.</returns>
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} {3}", (byte)Usage, (byte)Selector, (byte)MatchingType, AssociationDataHex);

    /// <summary>Parses TLSA RDATA in presentation form; fields may be numbers or RFC 7218 mnemonics. For text a user
    /// gives (New-TlsaRecord, files); records from DNS are read from their wire RDATA with <see cref="From(TlsaRdata)"/>.</summary>
    /// <param name="text">For example <c>3 1 1 e3b0c442...</c> or <c>DANE-EE SPKI SHA2-256 e3b0...</c>; the hex may contain white space.</param>
    /// <returns>The parsed record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">Fewer than four fields, a field out of range, or data that is not hexadecimal.</exception>
    public static TlsaRecord Parse(string text)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));
        if (!TryParse(text, out var record, out var error)) throw new FormatException($"Invalid TLSA record '{text}': {error}");
        return record!;
    }

    /// <summary>Parses TLSA RDATA in presentation form without throwing.</summary>
    /// <param name="text">The presentation form, as for <see cref="Parse"/>.</param>
    /// <param name="record">The record, or null when parsing failed.</param>
    /// <param name="error">Why parsing failed, or null.</param>
    /// <returns>True when the text was parsed.</returns>
    public static bool TryParse(string? text, out TlsaRecord? record, out string? error)
    {
        record = null;
        var tokens = (text ?? string.Empty).Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length < 4) { error = "expected usage, selector, matching type and data"; return false; }
        if (!TryField(tokens[0], s_usageNames, out var u)) { error = $"unknown certificate usage '{tokens[0]}'"; return false; }
        if (!TryField(tokens[1], s_selectorNames, out var s)) { error = $"unknown selector '{tokens[1]}'"; return false; }
        if (!TryField(tokens[2], s_matchingNames, out var m)) { error = $"unknown matching type '{tokens[2]}'"; return false; }
        var hex = string.Join(string.Empty, tokens, 3, tokens.Length - 3);
        if (!Hex.TryDecode(hex, out var data)) { error = "certificate association data is not hexadecimal"; return false; }
        record = new TlsaRecord((TlsaUsage)u, (TlsaSelector)s, (TlsaMatchingType)m, data!);
        error = null;
        return true;
    }

    /// <summary>Makes the DANE model of TLSA RDATA read from the wire by <see cref="TlsaRdata"/> (the one wire decoder).</summary>
    /// <param name="rdata">The TLSA RDATA.</param>
    /// <returns>The record, parameters as received (known or not).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rdata"/> is null.</exception>
    public static TlsaRecord From(TlsaRdata rdata)
    {
        if (rdata is null) throw new ArgumentNullException(nameof(rdata));
        return new TlsaRecord((TlsaUsage)rdata.Usage, (TlsaSelector)rdata.Selector, (TlsaMatchingType)rdata.MatchingType, rdata.AssociationData);
    }

    /// <summary>Returns the RFC 7218 mnemonic of a usage, or its number when it has none.</summary>
    /// <param name="usage">The usage.</param>
    /// <returns>For example <c>DANE-EE</c>.</returns>
    public static string UsageMnemonic(TlsaUsage usage) => Name(s_usageNames, (byte)usage);

    /// <summary>Returns the RFC 7218 mnemonic of a selector, or its number when it has none.</summary>
    /// <param name="selector">The selector.</param>
    /// <returns>For example <c>SPKI</c>.</returns>
    public static string SelectorMnemonic(TlsaSelector selector) => Name(s_selectorNames, (byte)selector);

    /// <summary>Returns the RFC 7218 mnemonic of a matching type, or its number when it has none.</summary>
    /// <param name="matchingType">The matching type.</param>
    /// <returns>For example <c>SHA2-256</c>.</returns>
    public static string MatchingTypeMnemonic(TlsaMatchingType matchingType) => Name(s_matchingNames, (byte)matchingType);

    /// <inheritdoc/>
    public bool Equals(TlsaRecord? other) =>
        other is not null && Usage == other.Usage && Selector == other.Selector && MatchingType == other.MatchingType &&
        Hex.FixedTimeEquals(_data, other._data);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TlsaRecord);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        unchecked
        {
            int h = ((byte)Usage << 16) | ((byte)Selector << 8) | (byte)MatchingType;
            foreach (var b in _data) h = (h * 31) + b;
            return h;
        }
    }

    private static readonly (byte Value, string Name)[] s_usageNames =
        { (0, "PKIX-TA"), (1, "PKIX-EE"), (2, "DANE-TA"), (3, "DANE-EE"), (255, "PrivCert") };

    private static readonly (byte Value, string Name)[] s_selectorNames =
        { (0, "Cert"), (1, "SPKI"), (255, "PrivSel") };

    private static readonly (byte Value, string Name)[] s_matchingNames =
        { (0, "Full"), (1, "SHA2-256"), (2, "SHA2-512"), (255, "PrivMatch") };

    private static string Name((byte Value, string Name)[] table, byte value)
    {
        foreach (var (v, n) in table) if (v == value) return n;
        return value.ToString(CultureInfo.InvariantCulture);
    }

    private static bool TryField(string token, (byte Value, string Name)[] table, out byte value)
    {
        if (byte.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out value)) return true;
        foreach (var (v, n) in table)
        {
            if (string.Equals(n, token, StringComparison.OrdinalIgnoreCase)) { value = v; return true; }
        }
        return false;
    }
}
