using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Reporting;
using DaneTools.Core.Smtp;

namespace DaneTools.Core.Dane;

// Steps 4 and 5 of DESIGN section 3 for one address: the STARTTLS probe with SNI = the TLSA base domain (RFC 7672
// section 8.1) and the match of the presented chain; the verdict rows are DaneVerdictTable's.
public sealed partial class DaneDomainChecker
{
    private async Task<DaneAddressResult> CheckAddressAsync(Run run, string hostText, IPAddress ip, string serverName,
        IReadOnlyList<TlsaRecord> records, DaneRequirement requirement, IReadOnlyList<string> referenceIds, SmtpProbeOptions probeOptions,
        SemaphoreSlim throttle, CancellationToken cancellationToken)
    {
        string family = ip.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
        string where = $"{hostText} [{ip}]";
        if (run.Settings.DnsOnly)
        {
            return new DaneAddressResult(run.DomainText, hostText, ip.ToString(), family, run.Settings.Port, serverName, null,
                Array.Empty<PresentedCertificate>(), null, DaneVerdictTable.Predicted(requirement), DaneFailureKind.None, "Not probed (DNS only).");
        }

        SmtpProbeResult probe;
        await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            probe = await _prober.ProbeAsync(ip, serverName, probeOptions, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            throttle.Release();
        }

        run.Trace(probe.Outcome is SmtpProbeOutcome.ConnectionFailed or SmtpProbeOutcome.Timeout ? "Connect" : "STARTTLS",
            $"{where} SNI {serverName}: {probe.Outcome}" + (probe.Error is null ? string.Empty : $" ({probe.Error})") + (probe.TlsVersion is null ? string.Empty : $", {probe.TlsVersion}"));

        DaneAddressResult Result(IReadOnlyList<PresentedCertificate> chain, TlsaMatchResult? match, DaneVerdictTable.AddressVerdict v)
        {
            run.Trace("Match", $"{where}: {v.Outcome}: {v.Reason}");
            return new(run.DomainText, hostText, ip.ToString(), family, run.Settings.Port, serverName, probe, chain, match, v.Outcome, v.Failure, v.Reason);
        }

        if (probe.Outcome != SmtpProbeOutcome.TlsEstablished)
        {
            if (requirement == DaneRequirement.None && probe.Outcome is not (SmtpProbeOutcome.StartTlsNotOffered or SmtpProbeOutcome.TlsHandshakeFailed))
                run.Warn($"{where}: the server could not be reached{(probe.Error is null ? string.Empty : $" ({probe.Error})")}.");
            return Result(Array.Empty<PresentedCertificate>(), null, DaneVerdictTable.ForNoTls(requirement, probe.Outcome, probe.Error));
        }
        if (probe.PresentedChain.Count == 0)
            return Result(Array.Empty<PresentedCertificate>(), null, DaneVerdictTable.ForNoChain(requirement, probe.TlsVersion));

        var match = MatchChain(requirement == DaneRequirement.None ? Array.Empty<TlsaRecord>() : records, referenceIds, run.Settings.Now, probe.PresentedChain);
        var verdict = DaneVerdictTable.ForMatch(requirement, match, probe.TlsVersion);
        if (verdict.Outcome == DaneHostOutcome.Authenticated) WarnCertificates(run, where, match);
        return Result(match.Chain, requirement == DaneRequirement.None ? null : match, verdict);
    }

    /// <summary>Warns of certificates expiring within the window: under DANE-TA they would fail; under DANE-EE a renewal with a new key needs its record first.</summary>
    private static void WarnCertificates(Run run, string where, TlsaMatchResult match)
    {
        if (match.MatchedRecord is { Usage: TlsaUsage.DaneTa })
        {
            foreach (var c in match.Chain.Where(c => c.Position <= Math.Max(0, match.MatchDepth)))
                run.WarnCertificate(where, c, "under DANE-TA an expired certificate fails (5.7.322)");
        }
        else if (match.Chain.Count > 0 && match.Chain[0].Position == 0)
        {
            run.WarnCertificate(where, match.Chain[0], "DANE-EE ignores the date, but a renewal with a new key needs its TLSA record published first");
        }
    }
}
