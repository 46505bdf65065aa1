using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DaneTools.Core.Dns;

namespace DaneTools.Core.Dnssec;

public sealed partial class ChainValidator
{
    /// <summary>
    /// The key-entry walk (Unbound's key cache and DS/DNSKEY prime): from the closest trust anchor down to the zone that
    /// signs an answer, one zone cut at a time: the child's DS RRset verified with the parent's keys, the child's DNSKEY
    /// RRset matched to it (<see cref="DsMatcher"/>), or a proof that no DS exists (an insecure delegation) or that the
    /// label is no cut. Steps and anchor entries are cached (<see cref="ValidationCache"/>), shared by every question.
    /// </summary>
    private sealed class KeyEntryWalk
    {
        private readonly ChainValidator _validator;

        public KeyEntryWalk(ChainValidator validator) => _validator = validator;

        public async Task<KeyEntry> FindAsync(Context ctx, DnsName target)
        {
            var anchor = ctx.Settings.Anchors.FindClosest(target);
            if (anchor is null)
            {
                var reason = ValidationReason.Create(ReasonCodes.NoTrustAnchor, null, target.ToString(), $"No trust anchor is configured for {target} or any of its ancestors.");
                return Indeterminate(ctx, target, reason);
            }
            var entry = await GetAnchorEntryAsync(ctx, anchor).ConfigureAwait(false);
            ctx.AddLink(entry);
            var position = entry.Zone;
            while (entry.Status == DnssecStatus.Secure && position.LabelCount < target.LabelCount)
            {
                var child = target.GetAncestor(position.LabelCount + 1);
                var step = await GetStepAsync(ctx, child, entry).ConfigureAwait(false);
                foreach (var w in step.Warnings) ctx.Warnings.Add(w);
                if (step.Kind == StepKind.NotACut)
                {
                    position = child;
                    continue;
                }
                if (step.Kind == StepKind.NameError) break;
                entry = step.Entry!;
                ctx.AddLink(entry);
                position = child;
            }
            return entry;
        }

        private async Task<KeyEntry> GetAnchorEntryAsync(Context ctx, TrustAnchor anchor)
        {
            var (entry, hit) = await _validator._cache.GetOrAddAsync(ctx.CachePrefix + "Z:" + Key(anchor.Zone), ctx.ClockNow, ctx.Settings.ValidationTime, async () =>
            {
                var (resp, failure) = await _validator.QueryAsync(ctx, anchor.Zone, DnsRecordType.DNSKEY).ConfigureAwait(false);
                if (resp is null)
                {
                    var e = Failed(ctx, anchor.Zone, failure!.Value.Status, failure.Value.Reason, true, null, null);
                    return (e, false, e.ExpiresUtc, e.WindowStart, e.WindowEnd);
                }
                var keys = RrsetOf(resp.Answer, anchor.Zone, DnsRecordType.DNSKEY);
                var match = DsMatcher.Match(anchor.Zone, anchor.DsRecords, anchor.Keys, keys, Sigs(resp.Answer), ctx.Verifier);
                var made = FromMatch(ctx, anchor.Zone, match, keys, null, isAnchor: true, dsServer: string.Empty, server: resp.Server);
                return (made, Cacheable(made), made.ExpiresUtc, made.WindowStart, made.WindowEnd);
            }, ctx.CancellationToken).ConfigureAwait(false);
            if (hit) ctx.Budget.CacheHit();
            foreach (var w in entry.Warnings) ctx.Warnings.Add(w);
            return entry;
        }

        private async Task<DelegationStep> GetStepAsync(Context ctx, DnsName child, KeyEntry parent)
        {
            var (step, hit) = await _validator._cache.GetOrAddAsync(ctx.CachePrefix + "D:" + Key(child), ctx.ClockNow, ctx.Settings.ValidationTime, async () =>
            {
                var s = await ComputeStepAsync(ctx, child, parent).ConfigureAwait(false);
                return (s, s.Cacheable, s.ExpiresUtc, s.WindowStart, s.WindowEnd);
            }, ctx.CancellationToken).ConfigureAwait(false);
            if (hit) ctx.Budget.CacheHit();
            return step;
        }

        private async Task<DelegationStep> ComputeStepAsync(Context ctx, DnsName child, KeyEntry parent)
        {
            var zone = parent.Zone;
            var (resp, failure) = await _validator.QueryAsync(ctx, child, DnsRecordType.DS).ConfigureAwait(false);
            if (resp is null) return DelegationStep.Stop(Failed(ctx, child, failure!.Value.Status, failure.Value.Reason, false, null, null), cacheable: false);

            var answerSigs = Sigs(resp.Answer);
            var dsRrset = RrsetOf(resp.Answer, child, DnsRecordType.DS);
            if (dsRrset.Count > 0)
            {
                var dsCheck = ctx.Verifier.Verify(dsRrset, answerSigs, zone, parent.Keys);
                var dsRecords = dsRrset.Select(r => DsRecord.TryFrom(r, out var d) ? d : null).Where(d => d is not null).Select(d => d!).ToList();
                if (!dsCheck.IsSecure)
                {
                    var link = new DnssecZoneLink(child.ToString(), DnssecStatus.Bogus, dsCheck.Reason, false,
                        dsRecords.Select(d => new DnssecDsInfo(d, false, false)).ToList().AsReadOnly(), Array.Empty<DnssecKeyInfo>(), dsCheck.Signatures.AsReadOnly(), resp.Server, string.Empty);
                    var bad = MakeEntry(ctx, child, DnssecStatus.Bogus, Array.Empty<DnskeyRecord>(), dsCheck.Reason, link, new List<string>(), ValidationCache.BogusTtl, ctx.Settings.ValidationTime, ctx.Settings.ValidationTime);
                    return DelegationStep.Stop(bad, cacheable: dsCheck.Reason?.Code != ReasonCodes.WorkLimitExceeded);
                }
                var warnings = new List<string>();
                if (IsSha1(dsCheck.Key!.Algorithm)) warnings.Add(Sha1Warning(zone));
                var (keyResp, keyFailure) = await _validator.QueryAsync(ctx, child, DnsRecordType.DNSKEY).ConfigureAwait(false);
                if (keyResp is null) return DelegationStep.Stop(Failed(ctx, child, keyFailure!.Value.Status, keyFailure.Value.Reason, false, dsRecords, resp.Server), cacheable: false);
                var keys = RrsetOf(keyResp.Answer, child, DnsRecordType.DNSKEY);
                var match = DsMatcher.Match(child, dsRecords, Array.Empty<DnskeyRecord>(), keys, Sigs(keyResp.Answer), ctx.Verifier);
                match.Signatures.InsertRange(0, dsCheck.Signatures);
                match.Warnings.AddRange(warnings);
                var entry = FromMatch(ctx, child, match, keys, dsCheck, isAnchor: false, dsServer: resp.Server, server: keyResp.Server,
                    dsTtl: Ttl(dsRrset, dsCheck, ctx.Settings.Now));
                return DelegationStep.Cut(entry, Cacheable(entry));
            }

            if (resp.Answer.Any(r => r.Type == DnsRecordType.CNAME && r.Owner.Equals(child)))
            {
                return DelegationStep.Continue(StepKind.NotACut, ctx.ClockNow + TimeSpan.FromSeconds(60), ctx.Settings.ValidationTime, ctx.Settings.ValidationTime, new List<string>());
            }

            var ev = new DenialEvidence();
            var proof = _validator.ProveDenial(ctx, resp, zone, parent.Keys, resp.Rcode == DnsResponseCode.NXDomain ? DenialQuestion.NameError : DenialQuestion.DsAbsence, child, DnsRecordType.DS, null, ev);
            var stepWarnings = ev.Warnings.Distinct().ToList();
            uint ttl = ev.Ttl;
            var expires = ctx.ClockNow + TimeSpan.FromSeconds(Math.Min(ttl, ValidationCache.MaxTtl.TotalSeconds));
            var windowStart = ev.WindowStart == DateTime.MinValue ? ctx.Settings.ValidationTime : ev.WindowStart;
            var windowEnd = ev.WindowEnd == DateTime.MaxValue ? ctx.Settings.ValidationTime : ev.WindowEnd;
            string rec = $"{child} DS";
            switch (proof.Verdict)
            {
                case DenialVerdict.NotACut:
                    return DelegationStep.Continue(StepKind.NotACut, expires, windowStart, windowEnd, stepWarnings);
                case DenialVerdict.NameError:
                    return DelegationStep.Continue(StepKind.NameError, expires, windowStart, windowEnd, stepWarnings);
                case DenialVerdict.NoData:
                    return DelegationStep.Continue(StepKind.NotACut, expires, windowStart, windowEnd, stepWarnings);
                default:
                {
                    var (status, reason) = MapDenial(proof, zone, rec, wildcard: false);
                    if (proof.Verdict == DenialVerdict.InsecureDelegation)
                    {
                        reason = ValidationReason.Create(ReasonCodes.InsecureDelegation, child.ToString(), rec,
                            $"{child} is an unsigned delegation from {zone}: {proof.Message}.");
                    }
                    var link = new DnssecZoneLink(child.ToString(), status, reason, false, Array.Empty<DnssecDsInfo>(), Array.Empty<DnssecKeyInfo>(),
                        ev.Signatures.AsReadOnly(), resp.Server, string.Empty);
                    bool bogus = status == DnssecStatus.Bogus;
                    var entry = MakeEntry(ctx, child, status, Array.Empty<DnskeyRecord>(), reason, link, stepWarnings,
                        bogus ? ValidationCache.BogusTtl : TimeSpan.FromSeconds(Math.Min(ttl, ValidationCache.MaxTtl.TotalSeconds)),
                        bogus ? ctx.Settings.ValidationTime : windowStart, bogus ? ctx.Settings.ValidationTime : windowEnd);
                    return DelegationStep.Stop(entry, cacheable: proof.Verdict != DenialVerdict.WorkLimitExceeded && reason.Code != ReasonCodes.WorkLimitExceeded);
                }
            }
        }

        private static KeyEntry FromMatch(Context ctx, DnsName zone, DsMatchResult match, List<ResourceRecord> keys, RrsetCheck? dsCheck,
            bool isAnchor, string dsServer, string server, uint dsTtl = uint.MaxValue)
        {
            var link = new DnssecZoneLink(zone.ToString(), match.Status, match.Reason, isAnchor, match.DsInfos.AsReadOnly(), match.KeyInfos.AsReadOnly(),
                match.Signatures.AsReadOnly(), dsServer, server);
            if (match.Status == DnssecStatus.Secure)
            {
                var check = match.Check!;
                if (IsSha1(check.Key!.Algorithm) && !match.Warnings.Contains(Sha1Warning(zone))) match.Warnings.Add(Sha1Warning(zone));
                uint ttl = Math.Min(dsTtl, Ttl(keys, check, ctx.Settings.Now));
                var start = dsCheck is null || check.WindowStart > dsCheck.WindowStart ? check.WindowStart : dsCheck.WindowStart;
                var end = dsCheck is null || check.WindowEnd < dsCheck.WindowEnd ? check.WindowEnd : dsCheck.WindowEnd;
                return MakeEntry(ctx, zone, DnssecStatus.Secure, match.Keys, null, link, match.Warnings, TimeSpan.FromSeconds(Math.Min(ttl, ValidationCache.MaxTtl.TotalSeconds)), start, end);
            }
            if (match.Status == DnssecStatus.Insecure)
            {
                var start = dsCheck?.WindowStart ?? ctx.Settings.ValidationTime - ValidationCache.MaxTtl;
                var end = dsCheck?.WindowEnd ?? ctx.Settings.ValidationTime + ValidationCache.MaxTtl;
                return MakeEntry(ctx, zone, DnssecStatus.Insecure, Array.Empty<DnskeyRecord>(), match.Reason, link, match.Warnings,
                    TimeSpan.FromSeconds(Math.Min(dsTtl, ValidationCache.MaxTtl.TotalSeconds)), start, end);
            }
            return MakeEntry(ctx, zone, DnssecStatus.Bogus, Array.Empty<DnskeyRecord>(), match.Reason, link, match.Warnings, ValidationCache.BogusTtl,
                ctx.Settings.ValidationTime, ctx.Settings.ValidationTime);
        }

        private static KeyEntry MakeEntry(Context ctx, DnsName zone, DnssecStatus status, IReadOnlyList<DnskeyRecord> keys, ValidationReason? reason,
            DnssecZoneLink link, List<string> warnings, TimeSpan ttl, DateTime windowStart, DateTime windowEnd) =>
            new(zone, status, keys, reason, ctx.ClockNow + ttl, windowStart, windowEnd, link, warnings.AsReadOnly());

        private static KeyEntry Failed(Context ctx, DnsName zone, DnssecStatus status, ValidationReason reason, bool isAnchor, List<DsRecord>? ds, string? dsServer)
        {
            var link = new DnssecZoneLink(zone.ToString(), status, reason, isAnchor,
                (ds ?? new List<DsRecord>()).Select(d => new DnssecDsInfo(d, false, false)).ToList().AsReadOnly(),
                Array.Empty<DnssecKeyInfo>(), Array.Empty<DnssecSignatureInfo>(), dsServer ?? string.Empty, string.Empty);
            return new KeyEntry(zone, status, Array.Empty<DnskeyRecord>(), reason, ctx.ClockNow, ctx.Settings.ValidationTime, ctx.Settings.ValidationTime, link, Array.Empty<string>());
        }

        private static KeyEntry Indeterminate(Context ctx, DnsName zone, ValidationReason reason) =>
            Failed(ctx, zone, DnssecStatus.Indeterminate, reason, false, null, null);

        private static bool Cacheable(KeyEntry e) =>
            e.Status != DnssecStatus.Indeterminate && e.Reason?.Code != ReasonCodes.WorkLimitExceeded;
    }
}
