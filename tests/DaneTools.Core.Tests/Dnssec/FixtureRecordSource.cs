using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Tests.Dnssec;

/// <summary>
/// Answers DNS questions from a fixture's <c>responses.txt</c> (recorded by TestData/Dnssec/generate.sh with
/// <c>dig +dnssec +norecurse</c> against NSD), so validator tests run offline on real signed data.
/// </summary>
/// <remarks>
/// File format (docs: /work/notes/DNS_CONTRACT.md), one block per recorded question, blank lines between blocks:
/// <code>
/// ;; QUERY &lt;name&gt; &lt;TYPE&gt;
/// ;; RCODE &lt;NOERROR|NXDOMAIN|SERVFAIL|...&gt;
/// ;; ANSWER
/// &lt;one presentation line per RR&gt;
/// ;; AUTHORITY
/// &lt;one presentation line per RR&gt;
/// ;; END
/// </code>
/// Every RR line goes through <see cref="ResourceRecord.Parse"/>. A question the file does not hold throws
/// <see cref="FixtureQuestionMissingException"/> naming the question (never a silent empty answer) and is
/// also listed in <see cref="MissingQuestions"/>, so a validator that swallows exceptions still fails the test.
/// </remarks>
public sealed class FixtureRecordSource : IDnsRecordSource
{
    private readonly Dictionary<(DnsName Name, DnsRecordType Type), DnsResponse> _responses;
    private readonly List<(DnsName Name, DnsRecordType Type)> _questions;
    private readonly List<(DnsName Name, DnsRecordType Type)> _asked = new();
    private readonly List<(DnsName Name, DnsRecordType Type)> _missing = new();
    private readonly object _gate = new();

    private FixtureRecordSource(string origin, List<(DnsName, DnsRecordType)> questions, Dictionary<(DnsName, DnsRecordType), DnsResponse> responses)
    {
        Origin = origin;
        _questions = questions;
        _responses = responses;
    }

    /// <summary>Gets where the responses came from (the file path, or the name given to <see cref="Parse"/>).</summary>
    public string Origin { get; }

    /// <summary>Gets the recorded questions in file order.</summary>
    public IReadOnlyList<(DnsName Name, DnsRecordType Type)> Questions => _questions;

    /// <summary>Gets every question asked so far, in order (answered or not).</summary>
    public IReadOnlyList<(DnsName Name, DnsRecordType Type)> Asked
    {
        get { lock (_gate) return _asked.ToList(); }
    }

    /// <summary>Gets the questions asked that the file does not hold.</summary>
    public IReadOnlyList<(DnsName Name, DnsRecordType Type)> MissingQuestions
    {
        get { lock (_gate) return _missing.ToList(); }
    }

    /// <summary>Loads a responses file.</summary>
    /// <param name="path">Path of a <c>responses.txt</c>.</param>
    /// <returns>The source.</returns>
    /// <exception cref="FormatException">The file breaks the format; the message names the file and line.</exception>
    public static FixtureRecordSource Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses responses text.</summary>
    /// <param name="text">The file's content.</param>
    /// <param name="origin">Name used in messages (e.g. the path).</param>
    /// <returns>The source.</returns>
    /// <exception cref="FormatException">The text breaks the format; the message names the origin and line.</exception>
    public static FixtureRecordSource Parse(string text, string origin)
    {
        var questions = new List<(DnsName, DnsRecordType)>();
        var responses = new Dictionary<(DnsName, DnsRecordType), DnsResponse>();
        var lines = text.Replace("\r\n", "\n").Split('\n');

        (DnsName Name, DnsRecordType Type)? question = null;
        DnsResponseCode? rcode = null;
        string? section = null; // "ANSWER" or "AUTHORITY" once inside a block
        var answer = new List<ResourceRecord>();
        var authority = new List<ResourceRecord>();

        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            int lineNumber = i + 1;
            FormatException Fail(string why) => new($"{origin}:{lineNumber}: {why}: '{line}'");

            if (line.Length == 0) continue; // blank lines separate blocks and carry no meaning
            if (question is null)
            {
                if (!line.StartsWith(";; QUERY ", StringComparison.Ordinal)) throw Fail("expected ';; QUERY <name> <TYPE>'");
                var parts = line.Substring(9).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != 2) throw Fail("expected ';; QUERY <name> <TYPE>'");
                if (!DnsName.TryParse(parts[0], out var name) || name is null) throw Fail("invalid query name");
                if (!DnsRecordTypeText.TryParse(parts[1], out var type)) throw Fail("invalid query type");
                if (responses.ContainsKey((name, type))) throw Fail("question recorded twice");
                question = (name, type);
                rcode = null;
                section = null;
                answer = new List<ResourceRecord>();
                authority = new List<ResourceRecord>();
                continue;
            }

            if (rcode is null)
            {
                if (!line.StartsWith(";; RCODE ", StringComparison.Ordinal)) throw Fail("expected ';; RCODE <code>'");
                rcode = ParseRcode(line.Substring(9).Trim()) ?? throw Fail("unknown RCODE");
                continue;
            }

            if (line == ";; ANSWER" && section is null) { section = "ANSWER"; continue; }
            if (line == ";; AUTHORITY" && section == "ANSWER") { section = "AUTHORITY"; continue; }
            if (line == ";; END" && section == "AUTHORITY")
            {
                responses.Add(question.Value, new DnsResponse(rcode.Value, answer, authority, server: "fixture:" + origin));
                questions.Add(question.Value);
                question = null;
                continue;
            }
            if (section is null || line.StartsWith(";", StringComparison.Ordinal))
            {
                throw Fail("expected ';; ANSWER', an RR line, ';; AUTHORITY' or ';; END' in this order");
            }
            if (!ResourceRecord.TryParse(line, out var record, out var error)) throw Fail("RR does not parse (" + error + ")");
            (section == "ANSWER" ? answer : authority).Add(record!);
        }

        if (question is not null) throw new FormatException($"{origin}: block for '{question.Value.Name} {DnsRecordTypeText.ToText(question.Value.Type)}' has no ';; END'");
        return new FixtureRecordSource(origin, questions, responses);
    }

    /// <summary>Returns the recorded response to the question.</summary>
    /// <param name="name">The query name (compared case-insensitively).</param>
    /// <param name="type">The query type.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The recorded response.</returns>
    /// <exception cref="FixtureQuestionMissingException">The fixture holds no response for this question.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Task<DnsResponse> QueryAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _asked.Add((name, type));
            if (_responses.TryGetValue((name, type), out var response)) return Task.FromResult(response);
            _missing.Add((name, type));
        }
        throw new FixtureQuestionMissingException(name, type, Origin);
    }

    /// <summary>Gets whether the fixture holds a response for the question.</summary>
    /// <param name="name">The query name.</param>
    /// <param name="type">The query type.</param>
    /// <returns>True when recorded.</returns>
    public bool Holds(DnsName name, DnsRecordType type) => _responses.ContainsKey((name, type));

    private static DnsResponseCode? ParseRcode(string text) => text switch
    {
        "NOERROR" => DnsResponseCode.NoError,
        "FORMERR" => DnsResponseCode.FormErr,
        "SERVFAIL" => DnsResponseCode.ServFail,
        "NXDOMAIN" => DnsResponseCode.NXDomain,
        "NOTIMP" => DnsResponseCode.NotImp,
        "REFUSED" => DnsResponseCode.Refused,
        _ => null,
    };
}

/// <summary>Thrown by <see cref="FixtureRecordSource"/> for a question its fixture does not hold.</summary>
/// <remarks>
/// Deliberately not a <see cref="DnsTransportException"/>: a validator must not turn a fixture gap into a
/// Timeout or Indeterminate verdict. Add the question to generate.sh and regenerate instead.
/// </remarks>
public sealed class FixtureQuestionMissingException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="name">The question's name.</param>
    /// <param name="type">The question's type.</param>
    /// <param name="origin">The fixture file.</param>
    public FixtureQuestionMissingException(DnsName name, DnsRecordType type, string origin)
        : base($"The fixture {origin} holds no response for the question '{name} {DnsRecordTypeText.ToText(type)}'. " +
               "Record it in TestData/Dnssec/generate.sh and regenerate.")
    {
        QueryName = name;
        QueryType = type;
    }

    /// <summary>Gets the question's name.</summary>
    public DnsName QueryName { get; }

    /// <summary>Gets the question's type.</summary>
    public DnsRecordType QueryType { get; }
}
