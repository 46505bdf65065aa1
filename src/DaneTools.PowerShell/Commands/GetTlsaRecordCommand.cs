using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using DaneTools.Core;
using DaneTools.Core.Dane;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.PowerShell.Infrastructure;

namespace DaneTools.PowerShell.Commands;

/// <summary>Gets the TLSA records of hosts with their DNSSEC status, RFC 7218 mnemonics and SMTP usability.</summary>
[Cmdlet(VerbsCommon.Get, "TlsaRecord", DefaultParameterSetName = ByHostSet)]
[OutputType(typeof(TlsaRecordInfo), ParameterSetName = new[] { ByHostSet, ByDomainSet })]
public sealed class GetTlsaRecordCommand : ResolvingCmdletBase
{
    private const string ByHostSet = "ByHost";
    private const string ByDomainSet = "ByDomain";
    private readonly List<(string Input, string Domain)> _domains = new();
    private readonly List<(string Input, string Host, DnsName Owner)> _hosts = new();
    private readonly HashSet<string> _seen = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the host names (TLSA base domains), e.g. MX host names. Alias NameExchange binds Resolve-DnsName MX output.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByHostSet)]
    [Alias("NameExchange")]
    [AllowEmptyString]
    public string[] HostName { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Gets or sets recipient domains: the TLSA records of every MX host are returned, at each host's TLSA base domain
    /// (RFC 7672 2.2.3, CNAME rules of Test-DaneDomain). Bound by property name (Get-AcceptedDomain, DaneTools results);
    /// when an input carries both, HostName wins (the default set).
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByDomainSet)]
    [Alias("Domain", "RecipientDomains")]
    [AllowEmptyString]
    public string[] DomainName { get; set; } = Array.Empty<string>();

    /// <summary>Gets or sets the service port. Default is 25 (SMTP).</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>Gets or sets the transport protocol label: tcp (default) or udp.</summary>
    [Parameter]
    [ValidateSet("tcp", "udp")]
    public string Protocol { get; set; } = "tcp";

    /// <summary>
    /// Gets or sets how many hosts are looked up at once, 1-256. Default is 64 (<see cref="ResolvingCmdletBase.DefaultThrottleLimit"/>). With more hosts than this, that many
    /// worker threads take one at a time with blocking DNS reads when -TimeoutSeconds is 5 or less
    /// (ResolvingCmdletBase.RunBulkAsync); otherwise, or with fewer, each runs as a task.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    /// <inheritdoc/>
    protected override Task ProcessRecordAsync()
    {
        if (ParameterSetName == ByDomainSet)
        {
            foreach (var input in DomainName ?? new string[] { null! })
            {
                var domain = DomainNameInput.Normalize(input);
                if (domain.Kind == DomainNameInputKind.Wildcard) { WriteWarningSafe($"Skipping {DomainNameDiagnosis.Quote(input)}: a wildcard names no domain that receives mail."); continue; }
                if (domain.Kind == DomainNameInputKind.Invalid)
                {
                    WriteErrorSafe(ErrorRecordFactory.Create(new ArgumentException($"{DomainNameDiagnosis.Quote(input)} is not a domain name: {domain.Error}."),
                        ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, input, "Give a domain such as contoso.com."));
                    continue;
                }
                if (_seen.Add("domain:" + domain.DomainName))
                {
                    _domains.Add((input!, domain.DomainName!));
                    WriteVerboseSafe($"Input '{input}': the TLSA records of the MX hosts of {domain.DomainName}");
                }
            }
            return Task.CompletedTask;
        }
        foreach (var input in HostName ?? new string[] { null! })
        {
            if (!HostNameInput.TryNormalize(input, out var host, out var why))
            {
                WriteErrorSafe(ErrorRecordFactory.Create(new ArgumentException($"{DomainNameDiagnosis.Quote(input)} is not a host name: {why}."),
                    ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, input, "Give a host name such as mx1.contoso.com."));
                continue;
            }
            if (!_seen.Add(host)) continue;
            DnsName owner;
            try
            {
                owner = DnsName.Parse(string.Format(CultureInfo.InvariantCulture, "_{0}._{1}.{2}.", Port, Protocol, host));
            }
            catch (FormatException ex)
            {
                // A host name near 255 octets leaves no room for the _port._proto labels.
                WriteErrorSafe(ErrorRecordFactory.Create(new ArgumentException($"No TLSA name can be formed for '{host}': {ex.Message}", ex),
                    ErrorIds.InvalidDomainName, ErrorCategory.InvalidArgument, input,
                    $"Give a host name short enough for _{Port}._{Protocol}.<host> to fit in 255 octets."));
                continue;
            }
            _hosts.Add((input!, host, owner));
            WriteVerboseSafe($"Input '{input}': TLSA at {owner.ToString().TrimEnd('.')}");
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override async Task EndProcessingAsync()
    {
        if (_hosts.Count == 0 && _domains.Count == 0) return;
        await PrepareResolutionPathAsync(StopToken).ConfigureAwait(false);
        if (ParameterSetName == ByDomainSet)
        {
            await DomainsAsync().ConfigureAwait(false);
            return;
        }
        await RunBulkAsync(_hosts, ThrottleLimit, "Looking up TLSA records", h => h.Host, async (h, validator, token) =>
        {
            var owner = h.Owner;
            WriteVerboseSafe($"{h.Host}: TLSA: validating {owner} via {ServerText}");
            var result = await validator.ValidateAsync(owner, DnsRecordType.TLSA, token).ConfigureAwait(false);
            WriteVerboseSafe($"{h.Host}: TLSA: {result}");
            var tlsa = result.Records.Where(r => r.Type == DnsRecordType.TLSA).ToList();
            if (tlsa.Count == 0)
            {
                if (result.Status == DnssecStatus.Secure || result.Status == DnssecStatus.Insecure)
                {
                    var why = result.Status == DnssecStatus.Secure
                        ? $"proven absent ({result.ReasonCode}): DANE does not apply to this host"
                        : "the zone is not signed: DANE does not apply to this host";
                    WriteErrorSafe(ErrorRecordFactory.Create(new ItemNotFoundException($"No TLSA records at {owner}: {why}."),
                        ErrorIds.TlsaRecordNotFound, ErrorCategory.ObjectNotFound, h.Input,
                        $"Publish a TLSA record at {owner} in a signed zone (New-TlsaRecord makes one)."));
                    return;
                }
                // Bogus or Indeterminate without data is still a result: the status and reason are the answer.
                WriteResultSafe(new TlsaRecordInfo(h.Host, Port, Protocol, owner.ToString(), result.Status, result.Reason, 0, null));
                return;
            }
            foreach (var r in tlsa)
            {
                if (!TryReadTlsa(r.GetResourceRecord(), out var record))
                {
                    WriteErrorSafe(ErrorRecordFactory.Create(new FormatException($"{r.Record}: {MalformedTlsa}"),
                        ErrorIds.InvalidTlsaRecord, ErrorCategory.InvalidData, h.Input, "Fix the TLSA record in the zone."));
                    continue;
                }
                WriteResultSafe(new TlsaRecordInfo(h.Host, Port, Protocol, r.Owner, result.Status, result.Reason, r.Ttl, record));
            }
        }).ConfigureAwait(false);
    }

    private const string MalformedTlsa = "expected usage, selector, matching type and data";

    // TLSA RDATA from the wire, through the one decoder (Dns.TlsaRdata). Association data is required here: a record
    // without it has nothing to show (the policy still counts it, as an unusable record of a secure RRset).
    private static bool TryReadTlsa(ResourceRecord rr, out TlsaRecord? record)
    {
        record = TlsaRdata.TryFrom(rr, out var rdata) && rdata!.GetAssociationData().Length > 0 ? TlsaRecord.From(rdata) : null;
        return record is not null;
    }

    private Task DomainsAsync()
    {
        var options = new DaneCheckOptions { SmtpPort = Port, DnsOnly = true, ValidationTime = ValidatorOptions.ValidationTime };
        return RunBulkAsync(_domains, ThrottleLimit, "Looking up TLSA records", d => d.Domain, async (d, validator, token) =>
        {
            // The MX, address and TLSA-base-domain logic is Test-DaneDomain's (DaneDomainChecker), run without SMTP.
            var checker = new DaneDomainChecker(new ChainValidatorResolver(validator), trace: TraceEnabled ? WriteVerboseSafe : null);
            var result = await checker.CheckAsync(d.Domain, options, token).ConfigureAwait(false);
            int written = 0;
            foreach (var host in result.MxHosts)
            {
                var owner = string.Format(CultureInfo.InvariantCulture, "_{0}._{1}.{2}.", Port, Protocol, host.TlsaBaseDomain);
                var lookup = host.TlsaLookups.FirstOrDefault(l => string.Equals(l.QueryName, owner, StringComparison.OrdinalIgnoreCase))
                    ?? host.TlsaLookups.LastOrDefault();
                if (lookup is null) continue;
                var reason = lookup.ReasonCode.Length == 0 ? null
                    : new ValidationReason(lookup.ReasonCode, lookup.ExtendedDnsError, null, lookup.QueryName, lookup.Reason);
                if (lookup.Records.Count == 0 && (lookup.Status == DnssecStatus.Bogus || lookup.Status == DnssecStatus.Indeterminate))
                {
                    // As for -HostName: a failed validation without data is a result (status and reason), not "not found".
                    WriteResultSafe(new TlsaRecordInfo(host.HostName, Port, Protocol, lookup.QueryName, lookup.Status, reason, 0, null, d.Domain));
                    written++;
                    continue;
                }
                foreach (var rr in lookup.GetResourceRecords())
                {
                    if (!TryReadTlsa(rr, out var record)) continue;
                    WriteResultSafe(new TlsaRecordInfo(host.HostName, Port, Protocol, rr.Owner.ToString(), lookup.Status, reason,
                        rr.Ttl, record, d.Domain));
                    written++;
                }
            }
            if (written == 0)
            {
                WriteErrorSafe(ErrorRecordFactory.Create(
                    new ItemNotFoundException($"No TLSA records for the MX hosts of {d.Domain}: {result.Reason}"),
                    ErrorIds.TlsaRecordNotFound, ErrorCategory.ObjectNotFound, d.Input,
                    "Publish TLSA records for the MX hosts in signed zones (New-TlsaRecord makes them)."));
            }
        });
    }
}
