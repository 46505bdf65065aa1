using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using DaneTools.Core.Dane;
using Xunit;

namespace DaneTools.Core.Tests.Dane;

/// <summary>TLSA RDATA parsing and mnemonics against the RFC 6698, 7218 and 7671 vectors.</summary>
public class TlsaRecordTests
{
    public static IEnumerable<object[]> RecordCases() =>
        new[] { "rfc6698.json", "rfc7671.json" }.SelectMany(file =>
            RfcVectors.File(file).GetProperty("cases").EnumerateArray()
                .Where(c => c.GetProperty("records").GetArrayLength() > 0)
                .SelectMany(c => c.GetProperty("records").EnumerateArray().Select((_, i) => new object[] { file, c.GetProperty("id").GetString()!, i })));

    [Theory]
    [MemberData(nameof(RecordCases))]
    public void Parse_RfcExampleRecord_GivesExpectedFields(string file, string id, int index)
    {
        var c = RfcVectors.Case(file, id);
        var rdata = c.GetProperty("records")[index].GetProperty("rdata").GetString()!;
        var expected = c.GetProperty("expected");
        if (expected.TryGetProperty("records", out var perRecord)) expected = perRecord[index];

        bool ok = TlsaRecord.TryParse(rdata, out var record, out var error);
        Assert.Equal(expected.GetProperty("parseable").GetBoolean(), ok);
        if (!ok)
        {
            Assert.NotNull(error);
            Assert.Throws<FormatException>(() => TlsaRecord.Parse(rdata));
            return;
        }
        Assert.Equal(expected.GetProperty("usage").GetInt32(), (int)record!.Usage);
        Assert.Equal(expected.GetProperty("selector").GetInt32(), (int)record.Selector);
        Assert.Equal(expected.GetProperty("matching_type").GetInt32(), (int)record.MatchingType);
        Assert.Equal(expected.GetProperty("mnemonic").GetString(), record.Mnemonic);
        Assert.Equal(expected.GetProperty("data_hex").GetString(), record.AssociationDataHex);
        Assert.Equal(expected.GetProperty("data_octets").GetInt32(), record.DataLength);
        if (expected.TryGetProperty("digest_length_ok", out var lengthOk)) Assert.Equal(lengthOk.GetBoolean(), record.IsWellFormed);
        // Round trip through the numeric presentation form.
        Assert.Equal(record, TlsaRecord.Parse(record.ToString()));
    }

    [Fact]
    public void FormatName_Rfc6698Section3_BuildsTlsaQueryNames()
    {
        var expected = RfcVectors.Case("rfc6698.json", "rfc6698-3-tlsa-query-names").GetProperty("expected").GetProperty("query_names");
        Assert.Equal(2, expected.GetArrayLength());
        foreach (var q in expected.EnumerateArray())
        {
            var def = new TlsaRecordDefinition(q.GetProperty("host").GetString()!, q.GetProperty("port").GetInt32(),
                TlsaRecord.Parse("3 1 1 00"), "CN=x", DateTime.UtcNow, 0, "x.pem");
            Assert.Equal(q.GetProperty("tlsa_qname").GetString() + ".", def.Name);
        }
    }

    [Fact]
    public void Parse_Rfc7671ElidedIllustrativeLines_FailToParse()
    {
        var c = RfcVectors.Case("rfc7671.json", "rfc7671-illustrative-truncated");
        var lines = c.GetProperty("rfc_text").EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.Equal(c.GetProperty("expected").GetProperty("distinct_lines").GetInt32(), lines.Distinct().Count());
        foreach (var line in lines)
        {
            var rdata = line.Substring(line.IndexOf("TLSA", StringComparison.Ordinal) + 4);
            Assert.False(TlsaRecord.TryParse(rdata, out _, out _), line);
        }
    }

    public static IEnumerable<object[]> Rfc7218Mnemonics()
    {
        var m = RfcVectors.File("rfc7218.json").GetProperty("mnemonics");
        foreach (var field in new[] { "certificate_usage", "selector", "matching_type" })
            foreach (var p in m.GetProperty(field).EnumerateObject())
                yield return new object[] { field, int.Parse(p.Name), p.Value.GetString()! };
    }

    [Theory]
    [MemberData(nameof(Rfc7218Mnemonics))]
    public void Mnemonic_Rfc7218Table_NamesEveryAssignedValue(string field, int value, string acronym)
    {
        string actual = field switch
        {
            "certificate_usage" => TlsaRecord.UsageMnemonic((TlsaUsage)value),
            "selector" => TlsaRecord.SelectorMnemonic((TlsaSelector)value),
            _ => TlsaRecord.MatchingTypeMnemonic((TlsaMatchingType)value),
        };
        Assert.Equal(acronym, actual);

        // Parsers must accept any case (RFC 7218 section 2).
        string[] fields = { "0", "0", "0" };
        int slot = field == "certificate_usage" ? 0 : field == "selector" ? 1 : 2;
        foreach (var spelling in new[] { acronym, acronym.ToUpperInvariant(), acronym.ToLowerInvariant() })
        {
            fields[slot] = spelling;
            var r = TlsaRecord.Parse(string.Join(" ", fields) + " 00");
            int parsed = slot == 0 ? (int)r.Usage : slot == 1 ? (int)r.Selector : (int)r.MatchingType;
            Assert.Equal(value, parsed);
        }
    }

    [Fact]
    public void Parse_Rfc7218UnassignedValues_HaveNumericMnemonics()
    {
        Assert.Equal("4", TlsaRecord.UsageMnemonic((TlsaUsage)4));
        Assert.Equal("2", TlsaRecord.SelectorMnemonic((TlsaSelector)2));
        Assert.Equal("3", TlsaRecord.MatchingTypeMnemonic((TlsaMatchingType)3));
        Assert.False(TlsaRecord.Parse("4 2 3 00").IsWellFormed);
    }

    [Fact]
    public void Parse_Rfc7218Section31DisplayLines_FieldsParseBlobPlaceholderDoesNot()
    {
        var c = RfcVectors.Case("rfc7218.json", "rfc7218-3.1-acronym-display");
        var text = c.GetProperty("rfc_text").EnumerateArray().Select(l => l.GetString()!).ToList();
        var lines = c.GetProperty("expected").GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(text.Count, lines.Count);
        for (int i = 0; i < lines.Count; i++)
        {
            var rdata = text[i].Substring(text[i].IndexOf("TLSA", StringComparison.Ordinal) + 4);
            Assert.False(TlsaRecord.TryParse(rdata, out _, out var error), text[i]);
            Assert.Contains("hexadecimal", error);
            var withData = TlsaRecord.Parse(lines[i].GetProperty("fields").GetString() + " 00");
            Assert.Equal(lines[i].GetProperty("numeric").GetString(), $"{(byte)withData.Usage} {(byte)withData.Selector} {(byte)withData.MatchingType}");
        }
    }

    [Fact]
    public void Parse_Rfc7218Section32Acronyms_GiveAllowedCombinations()
    {
        var e = RfcVectors.Case("rfc7218.json", "rfc7218-3.2-specification-example").GetProperty("expected");
        var acronyms = e.GetProperty("as_acronyms").EnumerateArray().Select(a => a.GetString()!).ToList();
        var numeric = e.GetProperty("allowed_combinations").EnumerateArray().Select(a => a.GetString()!).ToList();
        for (int i = 0; i < acronyms.Count; i++)
        {
            var r = TlsaRecord.Parse(acronyms[i] + " " + new string('A', 128));
            Assert.Equal(numeric[i], $"{(byte)r.Usage} {(byte)r.Selector} {(byte)r.MatchingType}");
            Assert.Equal(acronyms[i], r.Mnemonic);
        }
    }

    [Theory]
    [InlineData("3 1 1")]
    [InlineData("3 1 1 0")]            // odd number of hex digits
    [InlineData("3 1 1 zz")]
    [InlineData("256 1 1 00")]
    [InlineData("-1 1 1 00")]
    [InlineData("DANE-XX 1 1 00")]
    [InlineData("")]
    public void TryParse_InvalidText_Fails(string text) => Assert.False(TlsaRecord.TryParse(text, out _, out _));

    [Fact]
    public void Parse_HexSplitByWhiteSpaceAnyCase_JoinsData()
    {
        var r = TlsaRecord.Parse("3 1 1 ab\tCD\n0e");
        Assert.Equal("ABCD0E", r.AssociationDataHex);
    }

    [Fact]
    public void IsUsableForSmtp_PkixUsages_False()
    {
        var zero = new string('0', 64);
        Assert.False(TlsaRecord.Parse("0 0 1 " + zero).IsUsableForSmtp);
        Assert.False(TlsaRecord.Parse("1 1 1 " + zero).IsUsableForSmtp);
        Assert.True(TlsaRecord.Parse("2 0 1 " + zero).IsUsableForSmtp);
        Assert.True(TlsaRecord.Parse("3 1 1 " + zero).IsUsableForSmtp);
    }
}
