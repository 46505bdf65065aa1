using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;

namespace DaneTools.PowerShell.Infrastructure;

/// <summary>
/// The resolving cmdlet: base of the cmdlets that resolve, with "the DNS parameters" (DESIGN.md section 10) under the
/// same names and types everywhere, the resolution path judged once per run (which decides whether the resolver
/// answers), one validation cache per invocation, and the module's bulk runner (ThrottleLimit, progress, Ctrl+C).
/// </summary>
public abstract class ResolvingCmdletBase : AsyncCmdletBase
{
    private DnssecValidatorOptions? _validatorOptions;
    private IDnsRecordSource? _source;
    // Bounded so memory stays flat over thousands of domains (the bench: 10,000 domains); the entries in use (the
    // root and TLD keys) survive the turnover of the per-domain ones.
    private readonly ValidationCache _cache = new ValidationCache(2048);

    /// <summary>
    /// Gets or sets the validating resolvers to ask, as <c>address</c> or <c>address:port</c> (<c>[v6]:port</c>).
    /// Default: the system's resolvers. Alias NameServer.
    /// </summary>
    [Parameter]
    [Alias("NameServer")]
    [ValidateNotNullOrEmpty]
    public string[]? Server { get; set; }

    /// <summary>
    /// Gets or sets trust anchors replacing the built-in IANA root KSKs: DS or DNSKEY presentation lines, or files
    /// holding them.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? TrustAnchor { get; set; }

    /// <summary>Gets or sets the time to wait for one DNS answer, in seconds, 1-300. Default is 5.</summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Gets or sets how names are resolved: Auto (the default) asks the resolver when it is DNSSEC-aware and resolves
    /// from the root servers when it strips DNSSEC; Recursive always asks the resolver (a stripping one is an error);
    /// Iterative resolves from the root servers (-RootHint) and asks no resolver.
    /// </summary>
    [Parameter]
    public ResolutionMode Resolution { get; set; } = ResolutionMode.Auto;

    /// <summary>
    /// Gets or sets the root servers iterative resolution starts from, as <c>address</c> or <c>address:port</c>.
    /// Default: IANA's root servers (a-m.root-servers.net).
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RootHint { get; set; }

    /// <summary>Gets the resolution path in use after the path check: Recursive or Iterative (empty before).</summary>
    protected string ResolutionPath { get; private set; } = string.Empty;

    /// <summary>Gets or sets the time at which signatures are checked (UTC). Default: now. Use a future time to look ahead.</summary>
    [Parameter]
    public DateTime? ValidationTime { get; set; }

    /// <summary>Gets or sets whether RSA/SHA-1 algorithms 5 and 7 count as unsupported (RFC 9905), making such zones Insecure.</summary>
    [Parameter]
    public SwitchParameter StrictSha1 { get; set; }

    /// <summary>Gets the validator settings made from the DNS parameters.</summary>
    protected DnssecValidatorOptions ValidatorOptions => _validatorOptions ?? throw new InvalidOperationException("BeginProcessing has not run.");

    /// <summary>Gets the record source (resolver with authoritative fallback) made from the DNS parameters.</summary>
    protected IDnsRecordSource RecordSource => (IDnsRecordSource?)_counted ?? _source ?? throw new InvalidOperationException("BeginProcessing has not run.");

    // The path in use after the path check, counting its questions (reported under -Verbose at the end of a run).
    private CountingRecordSource? _counted;

    /// <summary>Gets the validation cache shared by every lookup of this invocation.</summary>
    protected ValidationCache Cache => _cache;

    /// <summary>
    /// Writes a result with a <c>ResolutionPath</c> note property saying which path answered (e.g.
    /// <c>Recursive via 127.0.0.1:53</c> or <c>Iterative from the root servers 127.0.53.1:53</c>) and a
    /// <c>TrustAnchorUsed</c> note property naming the anchors validation started from (e.g. <c>. DS 20326, 38696
    /// (built-in IANA root KSKs)</c>); both survive Export-Clixml and ConvertTo-Json (Export-DaneReport's footer reads them).
    /// </summary>
    /// <param name="result">The result object.</param>
    protected void WriteResultSafe(object result)
    {
        var wrapped = PSObject.AsPSObject(result);
        if (ResolutionPath.Length > 0 && wrapped.Properties["ResolutionPath"] is null)
            wrapped.Properties.Add(new PSNoteProperty("ResolutionPath", ResolutionPath == "Iterative" ? $"Iterative from {ServerText}" : $"Recursive via {ServerText}"));
        if (_anchorText.Length > 0 && wrapped.Properties["TrustAnchorUsed"] is null)
            wrapped.Properties.Add(new PSNoteProperty("TrustAnchorUsed", _anchorText));
        WriteObjectSafe(wrapped);
    }

    private string _anchorText = string.Empty;

    // ". DS 20326, 38696" per anchor zone: the key tags a reader can compare with the zone's DS or DNSKEY set.
    private static string DescribeAnchors(TrustAnchorStore anchors, bool builtIn)
    {
        var text = string.Join("; ", anchors.Anchors.Select(a => a.DsRecords.Count > 0
            ? $"{a.Zone} DS {string.Join(", ", a.DsRecords.Select(d => d.KeyTag.ToString(CultureInfo.InvariantCulture)))}"
            : $"{a.Zone} DNSKEY {string.Join(", ", a.Keys.Select(k => k.KeyTag.ToString(CultureInfo.InvariantCulture)))}"));
        return builtIn && text.Length > 0 ? text + " (built-in IANA root KSKs)" : text;
    }

    /// <summary>Gets the servers asked, for messages.</summary>
    protected string ServerText { get; private set; } = "the system resolvers";

    /// <inheritdoc/>
    protected override Task BeginProcessingAsync()
    {
        var anchors = ReadTrustAnchors();
        _anchorText = DescribeAnchors(anchors, TrustAnchor is null || TrustAnchor.Length == 0);
        var servers = new List<IPEndPoint>();
        foreach (var text in Server ?? Array.Empty<string>())
        {
            try
            {
                servers.Add(DnsServerEndpoint.Parse(text));
            }
            catch (FormatException ex)
            {
                ThrowTerminatingError(ErrorRecordFactory.Create(new ArgumentException(ex.Message, nameof(Server), ex),
                    ErrorIds.InvalidServer, ErrorCategory.InvalidArgument, text, "Give the resolver's IP address, optionally with :port."));
            }
        }
        foreach (var text in RootHint ?? Array.Empty<string>())
        {
            try
            {
                _rootHints.Add(DnsServerEndpoint.Parse(text));
            }
            catch (FormatException ex)
            {
                ThrowTerminatingError(ErrorRecordFactory.Create(new ArgumentException(ex.Message, nameof(RootHint), ex),
                    ErrorIds.InvalidServer, ErrorCategory.InvalidArgument, text, "Give a root server's IP address, optionally with :port."));
            }
        }
        try
        {
            var transport = new DnsTransportOptions { Servers = servers, TimeoutSeconds = TimeoutSeconds };
            if (Resolution == ResolutionMode.Iterative)
            {
                _source = _iterative = IterativeRecordSource.Create(_rootHints, IterativeTimeoutSeconds);
            }
            else
            {
                _resolverOnly = new DnsClientRecordSource(transport);
                _source = AuthoritativeFallbackSource.Create(transport);
            }
        }
        catch (InvalidOperationException ex)
        {
            ThrowTerminatingError(ErrorRecordFactory.Create(ex, ErrorIds.InvalidServer, ErrorCategory.SecurityError,
                string.Join(", ", (Resolution == ResolutionMode.Iterative ? RootHint : Server) ?? Array.Empty<string>()),
                Resolution == ResolutionMode.Iterative ? "Name the lab's root servers with -RootHint." : "Name a local or lab resolver with -Server."));
        }
        ServerText = Resolution == ResolutionMode.Iterative ? RootServerText
            : servers.Count > 0 ? string.Join(", ", servers.Select(DnsServerEndpoint.Format)) : "the system resolvers";
        _validatorOptions = new DnssecValidatorOptions
        {
            TrustAnchors = anchors,
            ValidationTime = ValidationTime?.ToUniversalTime(),
            StrictSha1 = StrictSha1.IsPresent,
        };
        return Task.CompletedTask;
    }

    private readonly List<IPEndPoint> _rootHints = new List<IPEndPoint>();
    private IDnsRecordSource? _resolverOnly;
    private IterativeRecordSource? _iterative;
    private ResolverPathReport? _path;

    // Each root or authoritative server gets its own short wait: the next server is the retry.
    private int IterativeTimeoutSeconds => Math.Min(TimeoutSeconds, 3);

    private string RootServerText => _rootHints.Count > 0 ? "the root servers " + string.Join(", ", _rootHints.Select(DnsServerEndpoint.Format)) : "the IANA root servers";

    /// <summary>
    /// Judges the resolution path once, before the first name is resolved (issue 12): a resolver that strips DNSSEC
    /// is replaced by iterative resolution from the root (-Resolution Auto, with one warning) or is an error
    /// (Recursive); a resolver or root that does not answer, a trust anchor that does not match the served keys, or a
    /// clock outside the signatures' window stops the run with one terminating error instead of a failure per domain.
    /// Call it at the start of the bulk work; later calls return at once.
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <param name="stopWhenNoAnswer">Whether a path that does not answer stops the run (false for Send-DaneMail, which
    /// defers and keeps every message instead).</param>
    /// <returns>A task that completes when <see cref="RecordSource"/> is the path to use.</returns>
    /// <exception cref="AsyncCmdletBase.TerminatingErrorException">The path cannot be used.</exception>
    protected async Task PrepareResolutionPathAsync(CancellationToken cancellationToken, bool stopWhenNoAnswer = true)
    {
        if (_path is not null) return;
        var options = ValidatorOptions;
        if (Resolution == ResolutionMode.Iterative)
        {
            _path = await ResolverPath.JudgeAsync(_iterative!, options, RootServerText, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _path = await ResolverPath.JudgeAsync(_resolverOnly!, options, ServerText, cancellationToken).ConfigureAwait(false);
            if (_path.Kind == ResolverPathKind.StripsDnssec)
            {
                if (Resolution == ResolutionMode.Recursive)
                {
                    ThrowTerminatingErrorAsync(ErrorRecordFactory.Create(new InvalidOperationException(_path.Message),
                        ErrorIds.ResolverNotDnssecAware, ErrorCategory.NotEnabled, ServerText,
                        "Name a DNSSEC-aware resolver with -Server, or resolve from the root servers with -Resolution Auto or Iterative."));
                }
                WriteWarningSafe($"{_path.Message} DaneTools resolves from {RootServerText} itself (-Resolution Auto).");
                try
                {
                    _iterative = IterativeRecordSource.Create(_rootHints, IterativeTimeoutSeconds);
                }
                catch (InvalidOperationException ex)
                {
                    ThrowTerminatingErrorAsync(ErrorRecordFactory.Create(ex, ErrorIds.InvalidServer, ErrorCategory.SecurityError,
                        RootServerText, "Name the lab's root servers with -RootHint."));
                }
                _source = _iterative;
                ServerText = RootServerText;
                _path = await ResolverPath.JudgeAsync(_iterative!, options, RootServerText, cancellationToken).ConfigureAwait(false);
            }
        }
        ResolutionPath = _source is IterativeRecordSource ? "Iterative" : "Recursive";
        _counted = new CountingRecordSource(_source!);
        WriteVerboseSafe($"Resolution path: {ResolutionPath} via {ServerText}: {_path.Message}");
        switch (_path.Kind)
        {
            case ResolverPathKind.DnssecAware:
                // The path answered: a later timeout is the domain's own result (5.4.312), not an unreachable resolver.
                return;
            case ResolverPathKind.NoAnswer:
                if (!stopWhenNoAnswer) return;
                ThrowTerminatingErrorAsync(ErrorRecordFactory.Create(new DnsTransportException(_path.Message, isTimeout: true),
                    ErrorIds.ResolverUnreachable, ErrorCategory.ResourceUnavailable, ServerText, _path.Recommendation));
                break;
            case ResolverPathKind.TrustAnchorMismatch:
                ThrowTerminatingErrorAsync(ErrorRecordFactory.Create(new TrustAnchorException(string.Join(", ", TrustAnchor ?? new[] { "IANA root KSKs" }), _path.Message),
                    ErrorIds.TrustAnchorMismatch, ErrorCategory.InvalidData, TrustAnchor is null ? "IANA root KSKs" : string.Join(", ", TrustAnchor), _path.Recommendation));
                break;
            case ResolverPathKind.ClockOutsideSignatureWindow:
                if (ValidationTime.HasValue)
                {
                    // A time chosen to look ahead (or back): the results reflect that time, so say it once and go on.
                    WriteWarningSafe($"{_path.Message} The results below are for -ValidationTime {ValidationTime.Value.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}.");
                    return;
                }
                ThrowTerminatingErrorAsync(ErrorRecordFactory.Create(new InvalidOperationException(_path.Message),
                    ErrorIds.ClockOutsideSignatureWindow, ErrorCategory.InvalidData, ValidationTime?.ToString("o") ?? DateTime.UtcNow.ToString("o"), _path.Recommendation));
                break;
            default:
                ThrowTerminatingErrorAsync(ErrorRecordFactory.Create(new InvalidOperationException(_path.Message),
                    ErrorIds.ResolverNotDnssecAware, ErrorCategory.NotEnabled, ServerText, _path.Recommendation));
                break;
        }
    }

    private TrustAnchorStore ReadTrustAnchors()
    {
        if (TrustAnchor is null || TrustAnchor.Length == 0) return TrustAnchorStore.CreateDefault();
        var store = new TrustAnchorStore();
        foreach (var input in TrustAnchor)
        {
            try
            {
                var path = input.IndexOf(' ') < 0 ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(input) : null;
                if (path is not null && File.Exists(path)) store.AddFile(path);
                else if (path is not null && input.IndexOf(' ') < 0)
                    throw new TrustAnchorException(input, $"Trust anchor file '{input}' was not found.");
                else store.Add(input);
            }
            catch (Exception ex) when (ex is TrustAnchorException || ex is FormatException || ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(ErrorRecordFactory.Create(ex is TrustAnchorException ? ex : new TrustAnchorException(input, ex.Message, ex),
                    ErrorIds.TrustAnchorInvalid, ErrorCategory.InvalidData, input,
                    "Give DS or DNSKEY presentation lines (e.g. '. IN DS 20326 8 2 E06D...') or a file holding them."));
            }
        }
        return store;
    }

    /// <summary>
    /// The longest -TimeoutSeconds at which a bulk run uses blocking DNS reads: a read blocked after Ctrl+C ends within
    /// twice this (one retry), so a stopped run does not leave its threads waiting for minutes.
    /// </summary>
    protected const int MaxBlockingTimeoutSeconds = 5;

    /// <summary>
    /// The default -ThrottleLimit of the resolving cmdlets: how many domains or hosts are checked at once. A bulk run over the
    /// internet waits on round trips (a cold domain costs its resolver a dozen upstream ones) and on slow or dead MX hosts,
    /// not on CPU, so more in flight finishes sooner: in the benchmark's wide-area mode (answers delayed 40 ms, slow banners,
    /// dead hosts; bench/README.md) 64 finished 200 domains in 19 s where 16 took 35 s (issue 20). 64 domains at once put
    /// a few hundred queries in flight at the resolver, well within what a recursive resolver serves (Unbound's default
    /// is 1024 per thread), and at most 64 SMTP probes.
    /// </summary>
    public const int DefaultThrottleLimit = 64;

    /// <summary>
    /// Runs resolving work for every item through the module's bulk runner (<see cref="BulkRunner"/>), at most
    /// <paramref name="throttleLimit"/> at once, with progress and Ctrl+C. The work is made for a record source:
    /// <see cref="RecordSource"/> when items run as pool tasks, its <see cref="DnsIoMode.Blocking"/> view when a bulk run
    /// (more items than the limit, -TimeoutSeconds at most <see cref="MaxBlockingTimeoutSeconds"/>) runs on dedicated
    /// worker threads. Each is read through a <see cref="ChainValidator"/> sharing the run's validation cache.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The items, collected first so the total is known.</param>
    /// <param name="throttleLimit">How many at once.</param>
    /// <param name="activity">The progress activity, e.g. "Validating DANE".</param>
    /// <param name="describe">The item's name for the progress line.</param>
    /// <param name="work">The work for one item, given the validator over the record source of the thread it runs on.</param>
    /// <returns>A task that completes when every item is done.</returns>
    protected async Task RunBulkAsync<T>(IReadOnlyList<T> items, int throttleLimit, string activity, Func<T, string> describe,
        Func<T, ChainValidator, CancellationToken, Task> work)
    {
        Func<T, CancellationToken, Task> WorkFor(DnsIoMode mode)
        {
            var validator = new ChainValidator(RecordSource.WithIoMode(mode), ValidatorOptions, cache: Cache);
            return (item, token) => work(item, validator, token);
        }
        try
        {
            await Runner(activity).RunAsync(items, throttleLimit, describe, WorkFor, mayBlock: TimeoutSeconds <= MaxBlockingTimeoutSeconds).ConfigureAwait(false);
        }
        finally
        {
            if (_counted is not null)
            {
                WriteVerboseSafe(_source is IterativeRecordSource iterative
                    ? $"Resolution path: Iterative: the validator asked {_counted.Questions} questions, {iterative.QueriesSent} sent to authoritative servers, for {items.Count} inputs."
                    : $"Resolution path: Recursive: the validator asked {_counted.Questions} questions of {ServerText} for {items.Count} inputs.");
            }
        }
    }

    /// <summary>
    /// Runs work that makes no DNS query (e.g. Send-DaneMail's deliveries, planned beforehand) for every item through the
    /// module's bulk runner: pool tasks, at most <paramref name="throttleLimit"/> at once, with progress and Ctrl+C.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The items.</param>
    /// <param name="throttleLimit">How many at once (1: one after the other, in order).</param>
    /// <param name="activity">The progress activity.</param>
    /// <param name="describe">The item's name for the progress line.</param>
    /// <param name="work">The work for one item.</param>
    /// <returns>A task that completes when every item is done.</returns>
    protected Task RunEachAsync<T>(IReadOnlyList<T> items, int throttleLimit, string activity, Func<T, string> describe, Func<T, CancellationToken, Task> work) =>
        Runner(activity).RunAsync(items, throttleLimit, describe, _ => work, mayBlock: false);

    private BulkRunner Runner(string activity) =>
        new BulkRunner(GetType().Name.GetHashCode() & 0x7FFFFFFF, activity, WriteProgressSafe, StopToken);
}
