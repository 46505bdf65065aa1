using System;
using System.Collections.Generic;

namespace DaneTools.Core.Tests.Dnssec.Replay;

/// <summary>
/// The replay steps where ChainValidator differs from the peer today, each with its defect class (issue 11) or
/// the RFC section that argues our answer. ReplayTests tolerate exactly these: a listed step that starts to
/// agree fails the test until it is removed here, so the list only shrinks as fixes land.
/// </summary>
/// <remarks>Keys are <c>suite/file#step</c> (the QUERY step number). Fail-open entries are the ones RESULTS.md lists under "fail-open (must be fixed)".</remarks>
internal static class ReplayKnownDifferences
{
    private const string WildcardNsec = "fail-open, issue 11 class 1: a wildcard-expanded NSEC (RRSIG Labels below the owner's label count) accepted as the NODATA proof; its real owner is *.nsecwc.nlnetlabs.nl (RFC 4035 section 5.3.2; CVE-2017-15105)";
    private const string WildcardNsecDs = "issue 11 class 1: a wildcard-expanded NSEC (owner *.test) accepted as the proof that example.test has no DS, so a forged unsigned delegation comes out Insecure (RFC 4035 section 5.3.2)";
    private const string OptOutWildcardAnswer = "fail-open, issue 11 class 2: a wildcard answer whose next closer name is covered by an opt-out NSEC3 cannot be Secure (RFC 5155 sections 8.8 and 9.2)";
    private const string OptOutWildcardNoData = "fail-open, issue 11 class 2: a wildcard NODATA whose next closer name is covered by an opt-out NSEC3 cannot be Secure (RFC 5155 sections 8.7 and 9.2)";
    private const string OptOutWildcardCname = "fail-open, issue 11 class 2: the DS NODATA reached through a CNAME from a wildcard whose next closer name is covered by an opt-out NSEC3 cannot be Secure (RFC 5155 sections 8.8 and 9.2)";
    private const string MixedNsec3Parameters = "issue 11 class 3: NSEC3 RRs of three parameter sets combined into one name-error proof; a mix must be Bogus (RFC 5155 sections 7.2 and 8.2), today Insecure";
    private const string CnameThroughDname = "issue 11 class 6: a query of type CNAME answered through a signed DNAME is Secure; the synthesised CNAME is unsigned by design (RFC 6672 section 5.3.1)";
    private const string AlgorithmDowngrade = "argued, the peer departs from the RFC: harden-algo-downgrade: yes makes the peer demand a valid path for every DS algorithm; RFC 6840 section 5.11: a validator SHOULD accept any single valid path, so our Secure stands (listed under fail-open for review)";
    private const string NxdomainForEmptyNonTerminal = "argued, the peer departs from the RFC: it accepts an NXDOMAIN for 0.194.example.com DS (a workaround for ANS 2.8.1.0) although the NSEC proves that name is an empty non-terminal that exists (RFC 4035 section 5.4, RFC 8020 section 2): Bogus";
    private const string CachedNsecProof = "argued: the peer proves unsafe.example.X an unsigned delegation from the NSEC it cached with the CNAME answer; the NODATA answer it gets alone carries the parent's signed SOA and no NSEC, which proves nothing (RFC 4035 section 5.4). The harness keeps no cache across responses";
    private const string DnssecStrippedNotHardened = "argued, the peer's configuration: harden-dnssec-stripped: no downgrades an unobtainable DNSKEY RRset to Insecure; without it the chain cannot be built (RFC 4035 section 5.2): SERVFAIL (Indeterminate, ServerFailure)";
    private const string Nsec3EmptyNonTerminalOptOut = "fail-closed defect: NODATA for an empty non-terminal or an opt-out delegation point with no matching NSEC3; RFC 5155 section 8.5 as corrected by erratum 3441 (closest encloser proof, next closer name covered by an opt-out NSEC3) allows Insecure; we demand a matching NSEC3";
    private const string DsaValidatedByPeer = "argued: Deckard's copy has no fake-dsa switch and its peer validates DSA (algorithm 3); RFC 8624 section 3.1 (DSA MUST NOT be used to validate) and RFC 4035 section 5.2 (no supported algorithm: Insecure) make the zone Insecure here";

    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Secure where the peer says Bogus or Insecure: fail-open, to be fixed on branch proofs (issue 11).
        ["unbound/val_nodata_failwc.rpl#1"] = WildcardNsec,
        ["unbound/val_nodata_failwc.rpl#11"] = WildcardNsec,
        ["unbound/val_nsec3_b4_wild.rpl#1"] = OptOutWildcardAnswer,
        ["deckard/val_nsec3_b4_wild.rpl#1"] = OptOutWildcardAnswer,
        ["deckard/val_nsec3_b4_wild.rpl#20"] = OptOutWildcardAnswer,
        ["unbound/val_nsec3_cname_ds.rpl#1"] = OptOutWildcardCname,
        ["unbound/val_nsec3_optout_ad.rpl#60"] = OptOutWildcardAnswer,
        ["deckard/val_nsec3_optout_ad.rpl#60"] = OptOutWildcardAnswer,
        ["unbound/val_nsec3_optout_ad.rpl#80"] = OptOutWildcardNoData,
        ["deckard/val_nsec3_optout_ad.rpl#80"] = OptOutWildcardNoData,
        // Argued for our answer, or fail-closed defects.
        ["unbound/val_ta_algo_missing.rpl#1"] = AlgorithmDowngrade,
        ["unbound/val_ta_algo_missing.rpl#11"] = AlgorithmDowngrade,
        ["unbound/val_wcnsec_nods.rpl#1"] = WildcardNsecDs,
        ["unbound/val_nx_nsec3_collision.rpl#1"] = MixedNsec3Parameters,
        ["deckard/val_dname.rpl#221201"] = CnameThroughDname,
        ["unbound/val_ans_nx.rpl#1"] = NxdomainForEmptyNonTerminal,
        ["deckard/val_ans_nx.rpl#1"] = NxdomainForEmptyNonTerminal,
        ["unbound/val_cnametoinsecure.rpl#1"] = CachedNsecProof,
        ["unbound/val_cnametoinsecure.rpl#20"] = CachedNsecProof,
        ["unbound/val_faildnskey_ok.rpl#1"] = DnssecStrippedNotHardened,
        ["unbound/val_nsec3_entnodata_optout.rpl#1"] = Nsec3EmptyNonTerminalOptOut,
        ["unbound/val_nsec3_optout_ad.rpl#1"] = Nsec3EmptyNonTerminalOptOut,
        ["deckard/val_nsec3_optout_ad.rpl#1"] = Nsec3EmptyNonTerminalOptOut,
        ["deckard/val_deleg_nons.rpl#1"] = DsaValidatedByPeer,
        ["deckard/val_nsec3_entnodata_optout_badopt.rpl#1"] = DsaValidatedByPeer,
        ["deckard/val_nsec3_nods_badsig.rpl#1"] = DsaValidatedByPeer,
        ["deckard/val_nsec3_nods_soa.rpl#1"] = DsaValidatedByPeer,
        ["deckard/val_positive_nosigs.rpl#1"] = DsaValidatedByPeer,
    };
}
