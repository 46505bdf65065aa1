using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using DaneTools.Core;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Sts;
using DaneTools.PowerShell.Infrastructure;

namespace DaneTools.PowerShell.Commands;

/// <summary>
/// Gets the MTA-STS policy of recipient domains (RFC 8461): the TXT record at _mta-sts.&lt;domain&gt;, the policy fetched
/// over HTTPS (text and parsed), the policy host's certificate chain and WebPKI verdict, the HTTP status, every problem
/// with its RFC 8460 result type, and warnings (max_age under a day, mx patterns and MX hosts that do not meet).
/// </summary>
[Cmdlet(VerbsCommon.Get, "MtaStsPolicy")]
[OutputType(typeof(MtaStsPolicyResult))]
public sealed class GetMtaStsPolicyCommand : ResolvingCmdletBase
{
    private readonly List<(string Input, string Domain)> _domains = new();
    private readonly HashSet<string> _seen = new(StringComparer.OrdinalIgnoreCase);
    private MtaStsFetchOptions? _options;

    /// <summary>
    /// Gets or sets the policy domains. Bound by value (strings, e-mail addresses) and by property name from
    /// Get-AcceptedDomain/Get-RemoteDomain (DomainName), Get-OutboundConnector (RecipientDomains) and DaneTools results.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Domain", "RecipientDomains")]
    [AllowEmptyString]
    [AllowNull]
    public string[] DomainName { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets PEM or DER files of root certificates trusted besides the system store (e.g. a test CA). The system
    /// store is never changed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? TrustedRootCertificate { get; set; }

    /// <summary>Gets or sets the time allowed for each policy fetch, in seconds, 1-600. Default 60 (RFC 8461 section 3.3).</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int HttpsTimeoutSeconds { get; set; } = 60;

    /// <summary>Gets or sets the largest policy accepted, in bytes, 1024-10485760. Default 65536 (RFC 8461 section 3.3).</summary>
    [Parameter]
    [ValidateRange(1024, 10485760)]
    public int MaxPolicyBytes { get; set; } = 65536;

    /// <summary>Gets or sets how many domains are checked at once, 1-256. Default is 64 (<see cref="ResolvingCmdletBase.DefaultThrottleLimit"/>).</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    /// <inheritdoc/>
    protected override async Task BeginProcessingAsync()
    {
        _options = MtaStsInput.Options(this, TrustedRootCertificate, HttpsTimeoutSeconds, MaxPolicyBytes, ValidationTime?.ToUniversalTime(), out var error);
        if (error is not null) throw new TerminatingErrorException(error);
        await base.BeginProcessingAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override Task ProcessRecordAsync()
    {
        foreach (var input in DomainName ?? new string[] { null! })
        {
            var normal = DomainNameInput.Normalize(input);
            switch (normal.Kind)
            {
                case DomainNameInputKind.Wildcard:
                    WriteWarningSafe($"Skipping '{input}': a wildcard names no domain that receives mail.");
                    break;
                case DomainNameInputKind.Invalid:
                    WriteErrorSafe(ErrorRecordFactory.Create(new ArgumentException($"'{input}' is not a domain name: {normal.Error}."),
                        ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, input, "Give a domain such as contoso.com."));
                    break;
                default:
                    if (_seen.Add(normal.DomainName!))
                    {
                        _domains.Add((input!, normal.DomainName!));
                        WriteVerboseSafe($"Input '{input}': domain {normal.DomainName}");
                    }
                    break;
            }
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override async Task EndProcessingAsync()
    {
        if (_domains.Count == 0) return;
        await PrepareResolutionPathAsync(StopToken).ConfigureAwait(false);
        await RunBulkAsync(_domains, ThrottleLimit, "Fetching MTA-STS policies", d => d.Domain, async (d, validator, token) =>
        {
            var resolver = new ChainValidatorResolver(validator);
            var trace = TraceEnabled ? (Action<string>)(line => WriteVerboseSafe($"{d.Domain}: {line}")) : null;
            var result = await new MtaStsPolicyChecker(resolver, trace).CheckAsync(d.Domain, _options, token).ConfigureAwait(false);
            if (result.Policy is not null)
            {
                // The MX hosts, to name patterns that cover none and hosts no pattern covers.
                var mx = await resolver.ResolveAsync(DnsName.Parse(d.Domain), DnsRecordType.MX, token).ConfigureAwait(false);
                var hosts = mx.Records.Where(r => r.Type == DnsRecordType.MX)
                    .Select(r => MxRdata.TryFrom(r, out var m) ? m!.Exchange.ToString().TrimEnd('.') : string.Empty).Where(h => h.Length > 0).ToList();
                result = result.WithWarnings(MtaStsPolicyChecker.CoverageWarnings(result.Policy, hosts));
            }
            foreach (var w in result.Warnings) WriteVerboseSafe($"{d.Domain}: warning: {w}");
            WriteResultSafe(result);
            if (result.Published && result.Problems.Count > 0)
            {
                var problem = result.Problems[0];
                WriteErrorSafe(ErrorRecordFactory.Create(
                    new InvalidOperationException($"{d.Domain} publishes an MTA-STS record but no usable policy ({problem.ResultType}): {problem.Message}"),
                    ErrorIds.MtaStsPolicyUnavailable, ErrorCategory.InvalidData, d.Input,
                    "Until it is fixed, senders apply no MTA-STS policy to the domain (RFC 8461 section 5)."));
            }
        }).ConfigureAwait(false);
    }
}
