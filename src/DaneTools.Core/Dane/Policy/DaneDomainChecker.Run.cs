using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using DaneTools.Core.Reporting;

namespace DaneTools.Core.Dane;

// The state of one check: settings, the domain's context, the warnings collected, and each host's result as it is built.
public sealed partial class DaneDomainChecker
{
    internal sealed class DomainContext
    {
        public DomainContext(DnsName domain, DnsName expandedDomain, bool mxSecure, bool isImplicit)
        {
            Domain = domain;
            ExpandedDomain = expandedDomain;
            MxSecure = mxSecure;
            Implicit = isImplicit;
        }

        public DnsName Domain { get; }

        public DnsName ExpandedDomain { get; }

        public bool MxSecure { get; }

        public bool Implicit { get; }
    }

    private sealed class Settings
    {
        public int Port { get; private set; }

        public string? HeloName { get; private set; }

        public bool DnsOnly { get; private set; }

        public int ExpiryWarningDays { get; private set; }

        public DateTime Now { get; private set; }

        public int TimeoutSeconds { get; private set; }

        public int ThrottleLimit { get; private set; }

        public static Settings From(DaneCheckOptions o)
        {
            if (o.SmtpPort < 1 || o.SmtpPort > 65535) throw new ArgumentOutOfRangeException(nameof(o.SmtpPort), o.SmtpPort, "The SMTP port must be 1 to 65535.");
            if (o.ExpiryWarningDays < 0) throw new ArgumentOutOfRangeException(nameof(o.ExpiryWarningDays), o.ExpiryWarningDays, "The expiry warning window cannot be negative.");
            if (o.TimeoutSeconds < 1) throw new ArgumentOutOfRangeException(nameof(o.TimeoutSeconds), o.TimeoutSeconds, "The time limit must be at least 1 second.");
            if (o.ThrottleLimit < 1) throw new ArgumentOutOfRangeException(nameof(o.ThrottleLimit), o.ThrottleLimit, "The throttle limit must be at least 1.");
            var now = o.ValidationTime is DateTime t
                ? (t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc))
                : DateTime.UtcNow;
            return new Settings
            {
                Port = o.SmtpPort,
                HeloName = string.IsNullOrWhiteSpace(o.HeloName) ? null : o.HeloName,
                DnsOnly = o.DnsOnly,
                ExpiryWarningDays = o.ExpiryWarningDays,
                Now = now,
                TimeoutSeconds = o.TimeoutSeconds,
                ThrottleLimit = o.ThrottleLimit,
            };
        }
    }

    /// <summary>The state of one domain check: settings, the domain and the warnings collected (thread-safe).</summary>
    private sealed class Run
    {
        private readonly List<string> _warnings = new();
        private readonly HashSet<DateTime> _expiries = new();
        private readonly object _gate = new();
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

        private readonly Action<string>? _trace;

        public Run(Settings settings, DnsName domain, Action<string>? trace)
        {
            _trace = trace;
            Settings = settings;
            DomainText = Display(domain).ToLowerInvariant();
        }

        public Settings Settings { get; }

        public string DomainText { get; }

        public void Warn(string warning)
        {
            lock (_gate)
            {
                if (!_warnings.Contains(warning)) _warnings.Add(warning);
            }
        }

        public void Trace(string phase, string fact) => _trace?.Invoke($"{DomainText}: {phase}: {fact}");

        public void NoteAnswer(ValidatedAnswer answer)
        {
            if (_trace is not null)
            {
                string absence = answer.IsNxDomain ? " NXDOMAIN" : answer.IsNoData ? " NODATA" : $" {answer.Records.Count} record(s)";
                string chain = answer.CnameChain.Count == 0 ? string.Empty : " via " + string.Join(" -> ", answer.CnameChain.Select(c => $"{Display(c.Target)} ({c.Status})"));
                Trace(answer.Type == DnsRecordType.TLSA ? "TLSA" : "Resolve",
                    $"{Display(answer.Name)} {answer.Type}{chain}: {answer.Status}{absence}" + (answer.Reason is null ? string.Empty : $" ({answer.Reason.Code})"));
            }
            // The validator's warnings name their zone; the same zone shows up on many paths, so keep each once.
            foreach (var w in answer.Warnings) Warn(w);
            if (answer.EarliestSignatureExpiration is DateTime exp && exp <= Settings.Now.AddDays(Settings.ExpiryWarningDays))
            {
                lock (_gate)
                {
                    // One warning per expiry time: lookups below a common zone share its signatures.
                    if (!_expiries.Add(exp)) return;
                }
                Warn(string.Format(CultureInfo.InvariantCulture,
                    "{0} {1}: an RRSIG on the validation path expires at {2:yyyy-MM-dd HH:mm:ss}Z, within {3} days.",
                    Display(answer.Name), answer.Type, exp, Settings.ExpiryWarningDays));
            }
        }

        public void WarnCertificate(string where, PresentedCertificate c, string consequence)
        {
            if (c.NotAfterUtc <= Settings.Now.AddDays(Settings.ExpiryWarningDays))
            {
                Warn(string.Format(CultureInfo.InvariantCulture,
                    "{0}: certificate {1} ({2}) {3} at {4:yyyy-MM-dd HH:mm:ss}Z{5}; {6}.",
                    where, c.Position, c.Subject, c.NotAfterUtc < Settings.Now ? "expired" : "expires", c.NotAfterUtc,
                    c.NotAfterUtc < Settings.Now ? string.Empty : $", within {Settings.ExpiryWarningDays} days", consequence));
            }
        }

        public DaneDomainResult Finish(DaneStatus status, string code, string reason, DaneStatus eoStatus, DaneFailureKind eoFailure,
            DaneFailureKind failure, DaneMxKind kind, ValidatedAnswer mx, DaneLookupResult mxLookup, IReadOnlyList<DaneMxHostResult> hosts)
        {
            string[] warnings;
            lock (_gate) warnings = _warnings.ToArray();
            return new DaneDomainResult(DomainText, status, code, reason, eoStatus, eoFailure, failure, kind, mx.Status, mxLookup,
                hosts, warnings, Settings.DnsOnly, Settings.Now,
                Math.Round(_clock.Elapsed.TotalMilliseconds, 1));
        }
    }

    /// <summary>Collects one host's facts as the check proceeds and builds its immutable result.</summary>
    private sealed class HostBuilder
    {
        private readonly Run _run;
        private readonly DomainContext _ctx;
        private readonly string _host;
        private readonly int _preference;
        private readonly bool _implicit;
        private readonly DnssecStatus _addressStatus;
        private readonly string _expanded;
        private readonly IReadOnlyList<DaneLookupResult> _addressLookups;
        private IReadOnlyList<DaneLookupResult> _tlsaLookups = Array.Empty<DaneLookupResult>();
        private DnssecStatus? _tlsaStatus;
        private string _baseDomain = string.Empty;
        private IReadOnlyList<TlsaRecord> _records = Array.Empty<TlsaRecord>();
        private TlsaUsableSet? _usable;
        private DaneRequirement _requirement = DaneRequirement.None;

        public HostBuilder(Run run, DomainContext ctx, string host, int preference, bool isImplicit, DnssecStatus addressStatus, string expanded,
            IReadOnlyList<DaneLookupResult> addressLookups)
        {
            _run = run;
            _ctx = ctx;
            _host = host;
            _preference = preference;
            _implicit = isImplicit;
            _addressStatus = addressStatus;
            _expanded = expanded;
            _addressLookups = addressLookups;
        }

        public IReadOnlyList<string> ReferenceIdentifiers { get; private set; } = Array.Empty<string>();

        public void SetTlsa(IReadOnlyList<DaneLookupResult> lookups, DnssecStatus? status)
        {
            _tlsaLookups = lookups.ToArray();
            _tlsaStatus = status;
        }

        public void SetBaseDomain(string baseDomain) => _baseDomain = baseDomain;

        public void SetRecords(IReadOnlyList<TlsaRecord> records, TlsaUsableSet? usable, DaneRequirement requirement, IReadOnlyList<string> referenceIds)
        {
            _records = records.ToArray();
            _usable = usable;
            _requirement = requirement;
            ReferenceIdentifiers = referenceIds;
        }

        public DaneMxHostResult DnsFailure(DaneFailureKind kind, DaneFailureKind eoKind, string reason, bool tlsaStage = false)
        {
            // Exchange Online never looks up TLSA after an insecure MX or insecure addresses, so a TLSA failure there is no failure to it.
            bool eoSeesIt = !tlsaStage || (_ctx.MxSecure && _addressStatus == DnssecStatus.Secure);
            _run.Trace(tlsaStage ? "TLSA" : "Resolve", $"{_host}: DnsFailure: {reason}");
            return Build(Array.Empty<DaneAddressResult>(), DaneRequirement.HostUnusable, DaneHostOutcome.DnsFailure, kind,
                eoSeesIt ? DaneHostOutcome.DnsFailure : DaneHostOutcome.NoDane, eoSeesIt ? eoKind : DaneFailureKind.None, reason);
        }

        public DaneMxHostResult Finish(IReadOnlyList<DaneAddressResult> addresses, DaneRequirement requirement, bool eoApplies, string noTlsaWhy)
        {
            var (outcome, kind, reason) = DaneVerdictTable.ForHost(addresses, requirement, _run.Settings.DnsOnly, _usable?.Usable.Count ?? 0,
                $"_{_run.Settings.Port}._tcp.{_baseDomain}", noTlsaWhy);
            var eoOutcome = eoApplies ? outcome : DaneHostOutcome.NoDane;
            var eoKind = eoApplies ? kind : DaneFailureKind.None;
            return Build(addresses, requirement, outcome, kind, eoOutcome, eoKind, reason);
        }

        private DaneMxHostResult Build(IReadOnlyList<DaneAddressResult> addresses, DaneRequirement requirement, DaneHostOutcome outcome,
            DaneFailureKind kind, DaneHostOutcome eoOutcome, DaneFailureKind eoKind, string reason) =>
            new(_run.DomainText, _host, _preference, _implicit, _addressStatus, _expanded, _addressLookups, _baseDomain, _tlsaLookups, _tlsaStatus,
                _records, _usable, requirement, ReferenceIdentifiers, addresses, outcome, kind, eoOutcome, eoKind, reason);
    }
}
