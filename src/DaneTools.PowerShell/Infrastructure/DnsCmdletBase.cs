using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;

namespace DaneTools.PowerShell.Infrastructure;

/// <summary>
/// Base of the cmdlets that resolve: "the DNS parameters" (DESIGN.md section 10) with the same names and types
/// everywhere, one validation cache per invocation, and the bulk runner (ThrottleLimit, progress, Ctrl+C).
/// </summary>
public abstract class DnsCmdletBase : DaneCmdletBase
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

    private Task<bool>? _resolverAnswers;
    private readonly object _gate = new object();

    /// <summary>
    /// Tells whether the resolver answers at all (it is asked for the root's NS RRset once per invocation), so that a
    /// timeout can be told apart: an unreachable resolver is an error for every input, while a resolver that answers
    /// but times out on one domain's question is that domain's result (DESIGN.md section 6: 5.4.312).
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>True when the resolver answered.</returns>
    protected Task<bool> ResolverAnswersAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _resolverAnswers ??= AskRootAsync(cancellationToken);
        }
    }

    private async Task<bool> AskRootAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RecordSource.QueryAsync(DnsName.Root, DnsRecordType.NS, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DnsTransportException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes DnsQueryFailed for <paramref name="input"/> and returns true when a result says the question timed out
    /// and the resolver does not answer at all; returns false when the result is to be written as data.
    /// </summary>
    /// <param name="input">The input the error names.</param>
    /// <param name="reasonCode">The reason code of the result's failing lookup.</param>
    /// <param name="question">The question, for the message.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>Whether an error was written instead of the result.</returns>
    protected async Task<bool> WriteErrorIfResolverUnreachableAsync(object? input, string? reasonCode, string question, CancellationToken cancellationToken)
    {
        if (reasonCode != ReasonCodes.Timeout) return false;
        if (await ResolverAnswersAsync(cancellationToken).ConfigureAwait(false)) return false;
        WriteErrorSafe(ErrorRecordFactory.Create(
            new DnsTransportException($"{question}: the resolver {ServerText} did not answer within {TimeoutSeconds} s.", isTimeout: true),
            ErrorIds.DnsQueryFailed, ErrorCategory.ResourceUnavailable, input,
            $"Check that the resolver {ServerText} answers, or raise -TimeoutSeconds."));
        return true;
    }

    /// <summary>
    /// Writes a result with a <c>ResolutionPath</c> note property saying which path answered (e.g.
    /// <c>Recursive via 127.0.0.1:53</c> or <c>Iterative from the root servers 127.0.53.1:53</c>); it survives
    /// Export-Clixml and ConvertTo-Json.
    /// </summary>
    /// <param name="result">The result object.</param>
    protected void WriteResultSafe(object result)
    {
        var wrapped = PSObject.AsPSObject(result);
        if (ResolutionPath.Length > 0 && wrapped.Properties["ResolutionPath"] is null)
            wrapped.Properties.Add(new PSNoteProperty("ResolutionPath", ResolutionPath == "Iterative" ? $"Iterative from {ServerText}" : $"Recursive via {ServerText}"));
        WriteObjectSafe(wrapped);
    }

    /// <summary>Gets the servers asked, for messages.</summary>
    protected string ServerText { get; private set; } = "the system resolvers";

    /// <inheritdoc/>
    protected override Task BeginProcessingAsync()
    {
        var anchors = ReadTrustAnchors();
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
    /// <exception cref="DaneCmdletBase.TerminatingErrorException">The path cannot be used.</exception>
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
                lock (_gate) _resolverAnswers ??= Task.FromResult(true);
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

    /// <summary>The shortest time between two progress records of a bulk run, in milliseconds.</summary>
    protected const int ProgressIntervalMs = 200;

    /// <summary>
    /// Runs <paramref name="work"/> for every item, at most <paramref name="throttleLimit"/> at once, writing progress
    /// (done/total) when there is more than one item. Each item's failures are the work's to report; Ctrl+C stops all.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The items, collected first so the total is known.</param>
    /// <param name="throttleLimit">How many at once.</param>
    /// <param name="activity">The progress activity, e.g. "Validating DANE".</param>
    /// <param name="describe">The item's name for the progress line.</param>
    /// <param name="work">The work for one item.</param>
    /// <returns>A task that completes when every item is done.</returns>
    protected async Task RunBulkAsync<T>(IReadOnlyList<T> items, int throttleLimit, string activity, Func<T, string> describe,
        Func<T, CancellationToken, Task> work)
    {
        int activityId = GetType().Name.GetHashCode() & 0x7FFFFFFF;
        bool progress = items.Count > 1;
        int done = 0;
        // Progress at most every ProgressIntervalMs and for the last item: a record per item costs the pipeline
        // thread a wake-up and the host a redraw, thousands of times in a bulk run.
        long lastProgress = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void ItemDone(T item)
        {
            int count = Interlocked.Increment(ref done);
            long now = clock.ElapsedMilliseconds;
            long last = Interlocked.Read(ref lastProgress);
            if (progress && (count == items.Count || (now - last >= ProgressIntervalMs && Interlocked.CompareExchange(ref lastProgress, now, last) == last)))
            {
                WriteProgressSafe(new ProgressRecord(activityId, activity, $"{count} of {items.Count} done")
                {
                    CurrentOperation = describe(item),
                    PercentComplete = (int)(count * 100L / items.Count),
                });
            }
        }
        try
        {
            if (items.Count > Math.Max(1, throttleLimit) && TimeoutSeconds <= MaxBlockingTimeoutSeconds) await RunOnWorkerThreadsAsync(items, throttleLimit, work, ItemDone).ConfigureAwait(false);
            else await RunOnPoolAsync(items, throttleLimit, work, ItemDone).ConfigureAwait(false);
        }
        finally
        {
            if (progress) WriteProgressSafe(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            if (_counted is not null)
            {
                WriteVerboseSafe(_source is IterativeRecordSource iterative
                    ? $"Resolution path: Iterative: the validator asked {_counted.Questions} questions, {iterative.QueriesSent} sent to authoritative servers, for {items.Count} inputs."
                    : $"Resolution path: Recursive: the validator asked {_counted.Questions} questions of {ServerText} for {items.Count} inputs.");
            }
        }
    }

    // Fewer items than the limit (or a long DNS timeout): each runs as a task, so a domain's own lookups overlap.
    private async Task RunOnPoolAsync<T>(IReadOnlyList<T> items, int throttleLimit, Func<T, CancellationToken, Task> work, Action<T> itemDone)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, throttleLimit));
        var running = new List<Task>();
        foreach (var item in items)
        {
            await gate.WaitAsync(StopToken).ConfigureAwait(false);
            if (running.Count >= 1024)
            {
                // Keep only unfinished tasks (memory stays flat); a finished one that failed is rethrown here.
                foreach (var finished in running.Where(t => t.IsCompleted)) await finished.ConfigureAwait(false);
                running.RemoveAll(t => t.IsCompleted);
            }
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await work(item, StopToken).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                    itemDone(item);
                }
            }));
        }
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    // More items than the limit (a bulk run) and a DNS timeout of at most MaxBlockingTimeoutSeconds: ThrottleLimit
    // worker threads each take the next item and run it with blocking DNS reads (BlockingIo), cheaper than awaited
    // ones; the items themselves overlap. On Ctrl+C this returns at once: a worker still blocked in a read ends within
    // the DNS timeout and writes nothing more.
    private async Task RunOnWorkerThreadsAsync<T>(IReadOnlyList<T> items, int throttleLimit, Func<T, CancellationToken, Task> work, Action<T> itemDone)
    {
        var token = StopToken;
        int next = -1;
        int workers = Math.Min(Math.Max(1, throttleLimit), items.Count);
        int running = workers;
        ExceptionDispatchInfo? failure = null;
        var finished = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Worker()
        {
            try
            {
                int index;
                while (!token.IsCancellationRequested && Volatile.Read(ref failure) is null && (index = Interlocked.Increment(ref next)) < items.Count)
                {
                    var item = items[index];
                    BlockingIo.Run(() => work(item, token)).GetAwaiter().GetResult();
                    itemDone(item);
                }
            }
            catch (Exception ex)
            {
                // Never let an exception end a thread of ours (it would end the process). After Ctrl+C it is the
                // cancellation, or a write to the pipeline that is gone; otherwise a defect (each item reports its own
                // failures), rethrown to the pipeline while the other workers stop.
                if (!token.IsCancellationRequested) Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(ex), null);
            }
            finally
            {
                if (Interlocked.Decrement(ref running) == 0) finished.TrySetResult(true);
            }
        }
        for (int i = 0; i < workers; i++)
        {
            new Thread(Worker) { IsBackground = true, Name = "DaneTools bulk worker" }.Start();
        }
        using (token.Register(() => finished.TrySetCanceled(token)))
        {
            await finished.Task.ConfigureAwait(false);
        }
        failure?.Throw();
    }
}
