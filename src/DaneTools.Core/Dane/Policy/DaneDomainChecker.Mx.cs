using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;

namespace DaneTools.Core.Dane;

// Step 1 of DESIGN section 3: the validated MX lookup and the list of hosts to check (RFC 7672 section 2.2.1, RFC 7505).
public sealed partial class DaneDomainChecker
{
    /// <summary>The MX step's result: the hosts in preference order, or the finished domain result when the MX decides alone.</summary>
    private sealed class MxStep
    {
        public MxStep(ValidatedAnswer answer)
        {
            Answer = answer;
            Lookup = new DaneLookupResult(answer);
        }

        public ValidatedAnswer Answer { get; }

        public DaneLookupResult Lookup { get; }

        public DaneMxKind Kind { get; set; }

        public List<(int Preference, DnsName Host, bool Implicit)> Hosts { get; } = new();

        public DaneDomainResult? Finished { get; private set; }

        public MxStep Finish(Run run, DaneVerdictTable.Decision d)
        {
            Finished = run.Finish(d.Status, d.Code, d.Reason, d.Status, d.Failure, d.Failure, d.MxKind, Answer, Lookup, System.Array.Empty<DaneMxHostResult>());
            return this;
        }
    }

    private async Task<MxStep> ResolveMxAsync(Run run, DnsName domain, CancellationToken cancellationToken)
    {
        var mx = await _resolver.ResolveAsync(domain, DnsRecordType.MX, cancellationToken).ConfigureAwait(false);
        run.NoteAnswer(mx);
        var step = new MxStep(mx);
        string name = run.DomainText;
        if (DaneVerdictTable.ForMx(mx.Status, mx.IsNxDomain, onlyNullMx: false, name, Why(mx)) is { } failed) return step.Finish(run, failed);

        var mxRecords = new List<MxRdata>();
        foreach (var rr in mx.Records)
        {
            if (rr.Type != DnsRecordType.MX) continue;
            if (MxRdata.TryFrom(rr, out var mxRecord)) mxRecords.Add(mxRecord!);
            else run.Warn($"{name}: an MX record with malformed RDATA was ignored: {rr}");
        }

        if (mxRecords.Count == 0)
        {
            step.Kind = DaneMxKind.ImplicitMx;
            step.Hosts.Add((0, domain, true));
            return step;
        }
        if (DaneVerdictTable.ForMx(mx.Status, false, mxRecords.All(m => m.Exchange.IsRoot), name, Why(mx)) is { } nullMx) return step.Finish(run, nullMx);
        step.Kind = DaneMxKind.Mx;
        if (mxRecords.Any(m => m.Exchange.IsRoot))
            run.Warn($"{name}: the MX RRset mixes a null MX with other MX records (RFC 7505 section 3 forbids it); the null MX was ignored.");
        foreach (var m in mxRecords.Where(m => !m.Exchange.IsRoot).OrderBy(m => m.Preference).ThenBy(m => m.Exchange))
        {
            if (step.Hosts.Any(h => h.Host == m.Exchange)) continue;
            step.Hosts.Add((m.Preference, m.Exchange, false));
        }
        return step;
    }
}
