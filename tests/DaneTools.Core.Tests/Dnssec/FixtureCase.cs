using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using DaneTools.Core.Dns;
using Xunit.Abstractions;

namespace DaneTools.Core.Tests.Dnssec;

/// <summary>
/// One DNSSEC fixture case: TestData/Dnssec/&lt;folder&gt;/case.json (question, trust anchors, pinned time,
/// expected verdict, delv's verdict) and its responses.txt, made by TestData/Dnssec/generate.sh.
/// </summary>
/// <remarks>
/// Use with xUnit as <c>[Theory, MemberData(nameof(FixtureCase.All), MemberType = typeof(FixtureCase))]</c>
/// and a <see cref="FixtureCase"/> parameter: the case serializes as its folder name, so each case is its own
/// test in the runner's list.
/// </remarks>
public sealed class FixtureCase : IXunitSerializable
{
    /// <summary>The reason codes a case may expect (DESIGN.md section 5, DNS_CONTRACT.md).</summary>
    public static readonly IReadOnlyCollection<string> KnownReasons = new HashSet<string>(StringComparer.Ordinal)
    {
        "RrsigExpired", "RrsigNotYetValid", "DsDigestMismatch", "NoDnskeyForDs", "NoValidSignature", "MissingRrsig",
        "UnsupportedAlgorithm", "UnsupportedDigest", "NsecProofMissing", "Nsec3IterationsTooHigh", "WorkLimitExceeded",
        "ServerFailure", "Timeout", "RrsigLabelsExceedOwner", "KeyRevoked", "CnameChainTooLong", "InsecureDelegation",
        "NameDoesNotExist", "NoData",
    };

    /// <summary>The verdicts a case may expect.</summary>
    public static readonly IReadOnlyCollection<string> Statuses = new[] { "Secure", "Insecure", "Bogus", "Indeterminate" };

    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>Creates an empty case; for xUnit's deserializer only.</summary>
    [Obsolete("For xUnit deserialization only; use Load.")]
    public FixtureCase()
    {
    }

    /// <summary>Gets the full path of TestData/Dnssec in the test output folder.</summary>
    public static string Root => s_root.Value;

    /// <summary>Gets the case folder's name, e.g. <c>bogus-rrsig-expired</c>.</summary>
    public string Folder { get; private set; } = string.Empty;

    /// <summary>Gets the case folder's full path.</summary>
    public string Directory => Path.Combine(Root, Folder);

    /// <summary>Gets the path of the case's responses.txt.</summary>
    public string ResponsesPath => Path.Combine(Directory, "responses.txt");

    /// <summary>Gets the question's name.</summary>
    public DnsName Name { get; private set; } = DnsName.Root;

    /// <summary>Gets the question's type.</summary>
    public DnsRecordType Type { get; private set; }

    /// <summary>Gets the trust anchors as presentation lines (DS or DNSKEY), as in case.json.</summary>
    public IReadOnlyList<string> TrustAnchors { get; private set; } = Array.Empty<string>();

    /// <summary>Gets the pinned validation time (UTC).</summary>
    public DateTimeOffset ValidationTime { get; private set; }

    /// <summary>Gets the expected status: Secure, Insecure, Bogus or Indeterminate.</summary>
    public string ExpectedStatus { get; private set; } = string.Empty;

    /// <summary>Gets the expected reason code, or null when none (a plain Secure answer).</summary>
    public string? ExpectedReason { get; private set; }

    /// <summary>Gets the expected RFC 8914 extended DNS error code, or null.</summary>
    public int? ExpectedEde { get; private set; }

    /// <summary>Gets the expected status under the StrictSha1 option, or null when the case does not say.</summary>
    public string? StrictSha1Expected { get; private set; }

    /// <summary>Gets whether the result should carry a warning (SHA-1 algorithm, NSEC3 iterations or salt).</summary>
    public bool ExpectWarning { get; private set; }

    /// <summary>Gets delv's verdict mapped to one of <see cref="Statuses"/> by generate.sh.</summary>
    public string DelvStatus { get; private set; } = string.Empty;

    /// <summary>Gets delv's verdict lines, verbatim.</summary>
    public string Delv { get; private set; } = string.Empty;

    /// <summary>Gets unbound-host's (Unbound 1.17, validating at <see cref="ValidationTime"/>) verdict lines.</summary>
    public string Unbound { get; private set; } = string.Empty;

    /// <summary>Gets Unbound's verdict mapped to one of <see cref="Statuses"/> by generate.sh.</summary>
    public string UnboundStatus { get; private set; } = string.Empty;

    /// <summary>Gets what is special about the case and which rule decides it.</summary>
    public string Why { get; private set; } = string.Empty;

    /// <summary>Gets how the case was made (signer, tampering).</summary>
    public string Source { get; private set; } = string.Empty;

    /// <summary>Lists every case for xUnit's MemberData, one row per case folder, in name order.</summary>
    /// <returns>Rows of one <see cref="FixtureCase"/>.</returns>
    public static IEnumerable<object[]> All() => Folders().Select(f => new object[] { Load(f) });

    /// <summary>Lists the case folder names (every subfolder of <see cref="Root"/>), in ordinal order.</summary>
    /// <returns>The folder names.</returns>
    public static IReadOnlyList<string> Folders() =>
        System.IO.Directory.GetDirectories(Root).Select(Path.GetFileName).Select(n => n!).OrderBy(n => n, StringComparer.Ordinal).ToList();

    /// <summary>Loads one case by folder name.</summary>
    /// <param name="folder">The case folder's name.</param>
    /// <returns>The case.</returns>
    /// <exception cref="FileNotFoundException">The folder has no case.json.</exception>
    /// <exception cref="FormatException">case.json lacks a field or has an invalid value; the message names it.</exception>
    public static FixtureCase Load(string folder)
    {
#pragma warning disable CS0618 // the parameterless constructor is meant for xUnit
        var c = new FixtureCase();
#pragma warning restore CS0618
        c.Fill(folder);
        return c;
    }

    /// <summary>Loads the case's responses into a record source.</summary>
    /// <returns>A new source (its Asked/MissingQuestions lists start empty).</returns>
    public FixtureRecordSource CreateSource() => FixtureRecordSource.Load(ResponsesPath);

    /// <summary>Parses the trust anchors with <see cref="ResourceRecord.Parse"/>.</summary>
    /// <returns>The anchor records.</returns>
    public IReadOnlyList<ResourceRecord> ParseTrustAnchors() => TrustAnchors.Select(ResourceRecord.Parse).ToList();

    /// <inheritdoc/>
    public void Deserialize(IXunitSerializationInfo info) => Fill(info.GetValue<string>(nameof(Folder)));

    /// <inheritdoc/>
    public void Serialize(IXunitSerializationInfo info) => info.AddValue(nameof(Folder), Folder);

    /// <summary>Returns the folder name (shown by the test runner).</summary>
    /// <returns>The folder name.</returns>
    public override string ToString() => Folder;

    private void Fill(string folder)
    {
        Folder = folder;
        var path = Path.Combine(Directory, "case.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        FormatException Bad(string field, string why) => new($"{path}: \"{field}\" {why}");

        string Str(string field)
        {
            if (!root.TryGetProperty(field, out var v) || v.ValueKind != JsonValueKind.String) throw Bad(field, "missing or not a string");
            return v.GetString()!;
        }
        string? OptStr(string field) =>
            root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        Name = DnsName.TryParse(Str("name"), out var name) && name is not null ? name : throw Bad("name", "is not a DNS name");
        Type = DnsRecordTypeText.TryParse(Str("type"), out var type) ? type : throw Bad("type", "is not a record type");
        if (!root.TryGetProperty("trustAnchors", out var anchors) || anchors.ValueKind != JsonValueKind.Array) throw Bad("trustAnchors", "missing or not an array");
        TrustAnchors = anchors.EnumerateArray().Select(a => a.GetString() ?? throw Bad("trustAnchors", "holds a non-string")).ToList();
        ValidationTime = DateTimeOffset.TryParse(Str("validationTime"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : throw Bad("validationTime", "is not a time");
        ExpectedStatus = Str("expectedStatus");
        ExpectedReason = OptStr("expectedReason");
        ExpectedEde = root.TryGetProperty("expectedEde", out var ede) && ede.ValueKind == JsonValueKind.Number ? ede.GetInt32() : null;
        StrictSha1Expected = OptStr("strictSha1Expected");
        ExpectWarning = root.TryGetProperty("expectWarning", out var warn) && warn.ValueKind == JsonValueKind.True;
        Delv = Str("delv");
        DelvStatus = Str("delvStatus");
        Unbound = Str("unbound");
        UnboundStatus = Str("unboundStatus");
        Why = Str("why");
        Source = Str("source");
    }

    private static string FindRoot()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "TestData", "Dnssec");
        if (!System.IO.Directory.Exists(root)) throw new DirectoryNotFoundException("DNSSEC fixtures not found at " + root);
        return root;
    }
}
