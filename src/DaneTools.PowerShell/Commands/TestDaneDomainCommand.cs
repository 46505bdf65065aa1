using System;
using System.Threading;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using DaneTools.Core;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Outbound;
using DaneTools.Core.Sts;
using DaneTools.PowerShell.Infrastructure;

namespace DaneTools.PowerShell.Commands;

/// <summary>
/// Runs the whole RFC 7672 procedure for recipient domains and predicts what a DANE-enforcing MTA such as Exchange
/// Online would do: the verdict, the NDR and the TLS-RPT result type, down to the MX host, address and certificate.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DaneDomain", DefaultParameterSetName = ByDomainSet)]
[OutputType(typeof(DaneDomainResult), ParameterSetName = new[] { ByDomainSet, ByAddressSet })]
[OutputType(typeof(bool), ParameterSetName = new[] { ByDomainSet, ByAddressSet })]
public sealed class TestDaneDomainCommand : ResolvingCmdletBase
{
    private const string ByDomainSet = "ByDomain";
    private const string ByAddressSet = "ByAddress";
    private readonly List<(string Input, string Domain)> _domains = new();

    // -Quiet gives bare booleans, one per input in input order (Test-Connection's habit), so they can be matched to the
    // inputs: a duplicate gets its domain's answer, an input that names no domain (invalid, wildcard) gets $false. Each
    // slot holds the input's domain (null: no domain); answers that finish early wait until every slot before them is known.
    private readonly List<string?> _quietSlots = new();
    private readonly Dictionary<string, bool> _quietAnswers = new(StringComparer.OrdinalIgnoreCase);
    private int _quietNext;
    private readonly HashSet<string> _seen = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets the recipient domains. Bound by value (strings, e-mail addresses) and by property name from
    /// Get-AcceptedDomain/Get-RemoteDomain (DomainName), Get-OutboundConnector (RecipientDomains) and DaneTools results.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByDomainSet)]
    [Alias("Domain", "RecipientDomains")]
    [AllowEmptyString]
    [AllowNull]
    public string[] DomainName { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Gets or sets recipient e-mail addresses; their domains are checked. Bound by property name from
    /// Get-MessageTraceV2 (RecipientAddress), Get-MailContact and Get-MailUser (ExternalEmailAddress, "SMTP:" stripped: where
    /// their mail is routed; their PrimarySmtpAddress is a proxy in this organisation) and Get-Mailbox (PrimarySmtpAddress).
    /// Aliases bind in this order, ExternalEmailAddress first (never EmailAddresses, a list of proxies).
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByAddressSet)]
    [Alias("ExternalEmailAddress", "PrimarySmtpAddress", "EmailAddress")]
    [AllowEmptyString]
    [AllowNull]
    public string[] RecipientAddress { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Gets or sets how many domains are checked at once, 1-256. Default is 64 (<see cref="ResolvingCmdletBase.DefaultThrottleLimit"/>). With more domains than this, that many
    /// worker threads take one at a time with blocking DNS reads when -TimeoutSeconds is 5 or less
    /// (ResolvingCmdletBase.RunBulkAsync); otherwise, or with fewer, each runs as a task.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    /// <summary>Gets or sets whether to stop after DNS (MX, addresses, TLSA): no SMTP connection is made.</summary>
    [Parameter]
    public SwitchParameter DnsOnly { get; set; }

    /// <summary>Gets or sets whether to return only $true (Pass) or $false, one per input in input order: a duplicate gets its
    /// domain's answer, an input that names no domain (invalid, wildcard) $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Gets or sets how many days ahead an expiring certificate or RRSIG gives a warning. Default is 14.</summary>
    [Parameter]
    [ValidateRange(0, 3650)]
    public int ExpiryWarningDays { get; set; } = 14;

    /// <summary>Gets or sets the EHLO name. Default: this machine's fully qualified name.</summary>
    [Parameter]
    // A host name or an address literal (RFC 5321 4.1.3): nothing else may reach the EHLO line.
    [ValidateHeloName]
    [ValidateNotNullOrEmpty]
    public string? HeloName { get; set; }

    /// <summary>Gets or sets the SMTP port probed. Default is 25.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int SmtpPort { get; set; } = 25;

    /// <summary>Gets or sets whether to skip MTA-STS (RFC 8461): no TXT lookup at _mta-sts.&lt;domain&gt; and no HTTPS fetch; the
    /// MtaSts* and ExchangeOnlineOutbound* properties are then absent. -Quiet skips MTA-STS too.</summary>
    [Parameter]
    public SwitchParameter SkipMtaSts { get; set; }

    /// <summary>Gets or sets PEM or DER files of root certificates trusted for MTA-STS WebPKI checks besides the system store
    /// (e.g. a test CA). The system store is never changed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? TrustedRootCertificate { get; set; }

    /// <summary>Gets or sets the time allowed for each MTA-STS policy fetch, in seconds, 1-600. Default 60 (RFC 8461 section 3.3).</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int HttpsTimeoutSeconds { get; set; } = 60;

    /// <summary>Gets or sets whether to write results in input order. Domains are still checked concurrently; a result that
    /// finishes before an earlier domain's is held until that one is written. Without it results come in completion order.
    /// -Quiet answers are always in input order.</summary>
    [Parameter]
    public SwitchParameter PreserveOrder { get; set; }

    private MtaStsFetchOptions? _stsOptions;

    /// <inheritdoc/>
    protected override async Task BeginProcessingAsync()
    {
        if (!SkipMtaSts && !Quiet)
        {
            _stsOptions = MtaStsInput.Options(this, TrustedRootCertificate, HttpsTimeoutSeconds, 65536, ValidationTime?.ToUniversalTime(), out var error);
            if (error is not null) throw new TerminatingErrorException(error);
        }
        await base.BeginProcessingAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override Task ProcessRecordAsync()
    {
        bool byAddress = ParameterSetName == ByAddressSet;
        // $null (or an object whose property is null) is one bad input, not a crash.
        foreach (var input in (byAddress ? RecipientAddress : DomainName) ?? new string[] { null! })
        {
            var normal = DomainNameInput.Normalize(input);
            switch (normal.Kind)
            {
                case DomainNameInputKind.Wildcard:
                    WriteWarningSafe($"Skipping {DomainNameDiagnosis.Quote(input)}: a wildcard names no domain that receives mail.");
                    if (Quiet) AddQuietSlot(null);
                    break;
                case DomainNameInputKind.Invalid:
                    WriteErrorSafe(ErrorRecordFactory.Create(
                        new ArgumentException($"{DomainNameDiagnosis.Quote(input)} is not a {(byAddress ? "recipient address" : "domain name")}: {normal.Error}."),
                        byAddress ? ErrorIds.InvalidRecipientAddress : ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, input,
                        byAddress ? "Give an address such as chris@contoso.com." : "Give a domain such as contoso.com."));
                    if (Quiet) AddQuietSlot(null);
                    break;
                default:
                    if (_seen.Add(normal.DomainName!))
                    {
                        _domains.Add((input!, normal.DomainName!));
                        WriteVerboseSafe($"Input '{input}': domain {normal.DomainName}");
                    }
                    if (Quiet) AddQuietSlot(normal.DomainName!);
                    break;
            }
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override async Task EndProcessingAsync()
    {
        await CheckDomainsAsync().ConfigureAwait(false);
        // The inputs that name no domain after the last answer, or whose domain gave no result, are $false: one per input.
        if (Quiet) FlushQuiet(final: true);
    }

    private async Task CheckDomainsAsync()
    {
        if (_domains.Count == 0) return;
        await PrepareResolutionPathAsync(StopToken).ConfigureAwait(false);
        var webPki = _stsOptions is null ? null : new WebPkiValidator(_stsOptions.ExtraTrustRoots);
        // Once the resolution path holds, i.e. when servers are about to be probed.
        if (HeloName is null && !DnsOnly && ValidateHeloNameAttribute.UnqualifiedDefaultWarning() is { } helo) WriteWarningSafe(helo);
        var options = new DaneCheckOptions
        {
            SmtpPort = SmtpPort,
            HeloName = HeloName,
            DnsOnly = DnsOnly.IsPresent,
            ExpiryWarningDays = ExpiryWarningDays,
            ValidationTime = ValidatorOptions.ValidationTime,
            TimeoutSeconds = Math.Max(TimeoutSeconds * 2, 10),
        };
        var inOrder = PreserveOrder && !Quiet ? new InputOrderWriter(WriteResultSafe) : null;
        var items = _domains.Select((d, i) => (d.Domain, Index: i)).ToList();
        await RunBulkAsync(items, ThrottleLimit, "Validating DANE", d => d.Domain, async (d, validator, token) =>
        {
            var resolver = new ChainValidatorResolver(validator);
            // With MTA-STS discovery, the TLS-RPT record at each TLSA base domain is looked up too, starting beside the probes.
            var daneTlsRpt = _stsOptions is null ? null : new DaneTlsRptLookup(resolver, token);
            var checker = new DaneDomainChecker(daneTlsRpt?.Resolver ?? resolver, trace: TraceEnabled ? WriteVerboseSafe : null);
            // MTA-STS discovery and fetch run beside the DANE check; the combiner then judges each MX host from what the probe saw.
            var sts = _stsOptions is null ? null : new MtaStsPolicyChecker(resolver, TraceEnabled ? WriteVerboseSafe : null);
            using var stsCancel = CancellationTokenSource.CreateLinkedTokenSource(token);
            // On a bulk worker (blocking DNS reads) it starts on the pool, so its lookups overlap the DANE check's.
            var stsTask = sts is null ? null : DnsIoModes.StartBeside(() => sts.CheckAsync(d.Domain, _stsOptions!, stsCancel.Token));
            var result = await checker.CheckAsync(d.Domain, options, token).ConfigureAwait(false);
            MtaStsPolicyResult? stsResult = null;
            if (stsTask is not null && result.Status == DaneStatus.NoMail)
            {
                // A null MX (RFC 7505) accepts no mail: no MTA-STS verdict to wait for; the answer goes out at once.
                stsCancel.Cancel();
                _ = stsTask.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            }
            else if (stsTask is not null)
            {
                stsResult = await stsTask.ConfigureAwait(false);
            }
            var daneTlsRptResults = stsResult is null || daneTlsRpt is null ? null : await daneTlsRpt.ForResultAsync(result).ConfigureAwait(false);
            if (Quiet) WriteQuietInOrder(d.Domain, result.Status == DaneStatus.Pass);
            else
            {
                object output = stsResult is null ? result : WithOutbound(result, OutboundVerdictCombiner.Combine(result, stsResult, webPki!), daneTlsRptResults!);
                if (inOrder is not null) inOrder.Done(d.Index, output);
                else WriteResultSafe(output);
            }
        }).ConfigureAwait(false);
    }

    // The DANE result with the MTA-STS and combined Exchange Online properties added (note properties: the result type stays
    // DaneDomainResult, so its views, Export-Clixml and ConvertTo-Json keep working; the engine's DANE type knows nothing of MTA-STS).
    private static PSObject WithOutbound(DaneDomainResult result, OutboundVerdict outbound, TlsRptLookupResult[] daneTlsRpt)
    {
        var o = PSObject.AsPSObject(result);
        o.Properties.Add(new PSNoteProperty("MtaStsMode", outbound.MtaStsModeText));
        o.Properties.Add(new PSNoteProperty("MtaStsPolicyId", outbound.MtaSts.PolicyId));
        o.Properties.Add(new PSNoteProperty("MtaStsMaxAgeSeconds", outbound.MtaSts.MaxAgeSeconds));
        o.Properties.Add(new PSNoteProperty("MtaStsMxPatterns", outbound.MtaSts.MxPatterns.ToArray()));
        o.Properties.Add(new PSNoteProperty("MtaStsResultType", outbound.MtaSts.ResultType));
        o.Properties.Add(new PSNoteProperty("TlsRptRecord", outbound.MtaSts.TlsRpt?.Record?.Text ?? string.Empty));
        o.Properties.Add(new PSNoteProperty("TlsRptReportUris", outbound.MtaSts.TlsRptReportUris.ToArray()));
        o.Properties.Add(new PSNoteProperty("TlsRptProblem", outbound.MtaSts.TlsRptProblem));
        o.Properties.Add(new PSNoteProperty("DaneTlsRpt", daneTlsRpt));
        o.Properties.Add(new PSNoteProperty("ExchangeOnlineOutboundStatus", outbound.StatusText));
        o.Properties.Add(new PSNoteProperty("ExchangeOnlineOutboundNdr", outbound.ExchangeOnlineNdr));
        o.Properties.Add(new PSNoteProperty("OutboundTlsRptPolicyType", outbound.TlsRptPolicyType));
        o.Properties.Add(new PSNoteProperty("OutboundTlsRptResultType", outbound.TlsRptResultType));
        o.Properties.Add(new PSNoteProperty("Outbound", outbound));
        return o;
    }

    private void AddQuietSlot(string? domain)
    {
        lock (_quietSlots) _quietSlots.Add(domain);
    }

    private void WriteQuietInOrder(string domain, bool pass)
    {
        lock (_quietSlots)
        {
            _quietAnswers[domain] = pass;
            FlushQuiet(final: false);
        }
    }

    // Writes the answers of the slots from _quietNext on while they are known; at the end every slot is written.
    private void FlushQuiet(bool final)
    {
        lock (_quietSlots)
        {
            while (_quietNext < _quietSlots.Count)
            {
                var domain = _quietSlots[_quietNext];
                bool answer;
                if (domain is null) answer = false;
                else if (_quietAnswers.TryGetValue(domain, out var known)) answer = known;
                else if (final) answer = false;
                else return;
                _quietNext++;
                WriteObjectSafe(answer);
            }
        }
    }
}
