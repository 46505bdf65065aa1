using System;
using System.Collections.Generic;

namespace DaneTools.Core.Tests.Dnssec.Replay;

/// <summary>
/// The replay steps where ChainValidator differs from the peer today, each with its defect class (issue 11) or
/// the RFC section that argues our answer. ReplayTests tolerate exactly these: a listed step that starts to
/// agree fails the test until it is removed here, so the list only shrinks as fixes land.
/// </summary>
/// <remarks>Keys are <c>suite/file#step</c> (the QUERY step number). The Secure-where-the-peer-is-not entries (RESULTS.md lists them first) must be argued, never defects.</remarks>
internal static class ReplayKnownDifferences
{
    private const string AlgorithmDowngrade = "argued, the peer departs from the RFC: harden-algo-downgrade: yes makes the peer demand a valid path for every DS algorithm; RFC 6840 section 5.11: a validator SHOULD accept any single valid path, so our Secure stands (issue 11 names this departure as acceptable)";
    private const string NxdomainForEmptyNonTerminal = "argued, the peer departs from the RFC: it accepts an NXDOMAIN for 0.194.example.com DS (a workaround for ANS 2.8.1.0) although the NSEC proves that name is an empty non-terminal that exists (RFC 4035 section 5.4, RFC 8020 section 2): Bogus";
    private const string CachedNsecProof = "argued: the peer proves unsafe.example.X an unsigned delegation from the NSEC it cached with the CNAME answer; the NODATA answer it gets alone carries the parent's signed SOA and no NSEC, which proves nothing (RFC 4035 section 5.4). The harness keeps no cache across responses";
    private const string DnssecStrippedNotHardened = "argued, the peer's configuration: harden-dnssec-stripped: no downgrades an unobtainable DNSKEY RRset to Insecure; without it the chain cannot be built (RFC 4035 section 5.2): SERVFAIL (Indeterminate, ServerFailure)";
    private const string DsaValidatedByPeer = "argued: Deckard's copy has no fake-dsa switch and its peer validates DSA (algorithm 3); RFC 8624 section 3.1 (DSA MUST NOT be used to validate) and RFC 4035 section 5.2 (no supported algorithm: Insecure) make the zone Insecure here";

    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Secure where the peer says Bogus or Insecure (argued below; no fail-open remains).
        // Argued for our answer, or fail-closed defects.
        ["unbound/val_ta_algo_missing.rpl#1"] = AlgorithmDowngrade,
        ["unbound/val_ta_algo_missing.rpl#11"] = AlgorithmDowngrade,
        ["unbound/val_ans_nx.rpl#1"] = NxdomainForEmptyNonTerminal,
        ["deckard/val_ans_nx.rpl#1"] = NxdomainForEmptyNonTerminal,
        ["unbound/val_cnametoinsecure.rpl#1"] = CachedNsecProof,
        ["unbound/val_cnametoinsecure.rpl#20"] = CachedNsecProof,
        ["unbound/val_faildnskey_ok.rpl#1"] = DnssecStrippedNotHardened,
        ["deckard/val_deleg_nons.rpl#1"] = DsaValidatedByPeer,
        ["deckard/val_nsec3_entnodata_optout_badopt.rpl#1"] = DsaValidatedByPeer,
        ["deckard/val_nsec3_nods_badsig.rpl#1"] = DsaValidatedByPeer,
        ["deckard/val_nsec3_nods_soa.rpl#1"] = DsaValidatedByPeer,
        ["deckard/val_positive_nosigs.rpl#1"] = DsaValidatedByPeer,
    };
}
