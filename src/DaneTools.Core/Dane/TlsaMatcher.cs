using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace DaneTools.Core.Dane;

/// <summary>
/// Matches a TLSA RRset against the certificate chain a TLS server presented (RFC 6698, RFC 7671, RFC 7672).
/// </summary>
/// <remarks>
/// <para>
/// The usable records are chosen first (<see cref="SelectUsable"/>). Then DANE-EE(3) records are tried on the
/// leaf: a match authenticates without a name or validity-date check (RFC 7672 section 3.1.1) unless
/// <see cref="TlsaMatchOptions.CheckNamesOnDaneEe"/> is set. Otherwise certification paths are built from the
/// leaf upwards through the certificates the server sent, plus Full(0) certificates of DANE-TA(2) and PKIX-TA(0)
/// records, issuer by subject name. A DANE-TA(2) record that matches a certificate above the leaf, or a Full(0)
/// public key that verifies the top certificate's signature, makes that certificate or key the trust anchor
/// (RFC 7671 sections 5.2.2 and 5.2.3); a PKIX-TA(0)/PKIX-EE(1) record needs the path to end at a
/// <see cref="TlsaMatchOptions.TrustStore"/> certificate and to contain the matched certificate.
/// </para>
/// <para>
/// Path validation checks, for every certificate below the anchor, the issuer's signature, that issuers are CAs
/// (basicConstraints, pathLenConstraint, keyCertSign) and the validity dates at the validation time; then the
/// leaf's names against the reference identifiers. Revocation, policies, name constraints and extended key usage
/// are not checked. Failures are reported in that order of precedence when several paths fail: name mismatch,
/// expired, not yet valid, broken chain, PKIX path failure, no match.
/// </para>
/// </remarks>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc7671#section-5"/>
/// <seealso href="https://www.rfc-editor.org/rfc/rfc7672#section-3"/>
public static class TlsaMatcher
{
    private const int MaxPathLength = 12;
    private const int MaxWalkSteps = 2000;

    /// <summary>
    /// Splits a TLSA RRset into usable and unusable records: unknown parameters, digests of the wrong length and
    /// Full(0) data that is not a DER certificate or SubjectPublicKeyInfo are unusable (RFC 7671 section 4.1);
    /// in SMTP mode PKIX-TA(0) and PKIX-EE(1) are unusable (RFC 7672 section 3.1.3); then, per usage and selector,
    /// digest records weaker than the strongest digest type present are ignored, SHA2-512 being stronger than
    /// SHA2-256, while Full(0) records always stay (RFC 7671 section 9).
    /// </summary>
    /// <param name="records">The TLSA RRset.</param>
    /// <param name="smtpMode">True to treat PKIX-TA(0) and PKIX-EE(1) as unusable.</param>
    /// <returns>The usable and unusable records, each in RRset order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="records"/> contains null.</exception>
    /// <seealso href="https://www.rfc-editor.org/rfc/rfc7671#section-9"/>
    public static TlsaUsableSet SelectUsable(IEnumerable<TlsaRecord> records, bool smtpMode)
    {
        Prepare(records, smtpMode, out var set);
        return set;
    }

    /// <summary>Matches a TLSA RRset against the chain a server presented.</summary>
    /// <param name="records">The TLSA RRset (all records, usable or not).</param>
    /// <param name="chain">The DER certificates the server sent, leaf first.</param>
    /// <param name="options">Reference identifiers, validation time and the other settings; null for the defaults.</param>
    /// <returns>
    /// Authenticated when a usable record matched and every check its usage requires passed; NoUsableRecords when
    /// the RRset has no usable record; NoMatch when no usable record matched; NameMismatch, CertificateExpired,
    /// CertificateNotYetValid or ChainInvalid when a record matched but a later check failed; PkixPathFailed when a
    /// PKIX record matched but no path to the trust store exists. The result also carries the matched record,
    /// the match depth and the chain as plain data.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or <paramref name="chain"/> is null.</exception>
    /// <remarks>A chain element above the leaf that is not a DER certificate is skipped; it is missing from
    /// <see cref="TlsaMatchResult.Chain"/>, whose entries keep their <see cref="PresentedCertificate.Position"/>.</remarks>
    /// <exception cref="ArgumentException">The chain is empty or holds null, <paramref name="records"/> holds
    /// null, or a trust store entry is not a DER certificate.</exception>
    public static TlsaMatchResult Match(IEnumerable<TlsaRecord> records, IReadOnlyList<byte[]> chain, TlsaMatchOptions? options = null)
    {
        if (records is null) throw new ArgumentNullException(nameof(records));
        if (chain is null) throw new ArgumentNullException(nameof(chain));
        if (chain.Count == 0) throw new ArgumentException("The chain must hold at least the leaf certificate.", nameof(chain));
        if (chain.Any(c => c is null)) throw new ArgumentException("The chain contains null.", nameof(chain));
        var ctx = new Context(options ?? new TlsaMatchOptions());

        var usable = Prepare(records, ctx.SmtpMode, out var set);
        var presented = new List<PresentedCertificate>(chain.Count);
        var nodes = new List<Node>(chain.Count);
        int unparsable = -1;
        for (int i = 0; i < chain.Count; i++)
        {
            var raw = RawCertificate.TryParse(chain[i]);
            if (raw is null) { if (unparsable < 0) unparsable = i; continue; }
            var node = new Node(raw, TryParseCertificate(chain[i]), (byte[])chain[i].Clone(), "presented");
            nodes.Add(node);
            presented.Add(node.Describe(i));
        }

        TlsaMatchResult Result(TlsaMatchOutcome outcome, TlsaRecord? record, int depth, string reason) =>
            new(outcome, record, depth, reason, presented, set);

        if (usable.Count == 0)
            return Result(TlsaMatchOutcome.NoUsableRecords, null, -1, "The TLSA RRset holds no usable record, so DANE cannot authenticate the server.");
        // An unreadable certificate above the leaf is left out of path building (DANE-EE never needs it); an
        // unreadable leaf cannot be matched at all.
        if (unparsable == 0)
            return Result(TlsaMatchOutcome.ChainInvalid, null, -1, "The leaf certificate of the presented chain is not a DER X.509 certificate.");

        var leaf = nodes[0];
        foreach (var r in usable.Where(u => u.Record.Usage == TlsaUsage.DaneEe))
        {
            if (!leaf.Matches(r.Record)) continue;
            if (ctx.CheckNamesOnDaneEe && !ctx.NamesMatch(leaf))
                return Result(TlsaMatchOutcome.NameMismatch, r.Record, 0, $"DANE-EE record {Short(r.Record)} matched the leaf, but {ctx.NameProblem(leaf)}");
            return Result(TlsaMatchOutcome.Authenticated, r.Record, 0, $"DANE-EE record {Short(r.Record)} matched the leaf certificate (names and dates are not checked for DANE-EE).");
        }

        if (leaf.Cert is null)
        {
            return usable.Any(u => u.Record.Usage != TlsaUsage.DaneEe)
                ? Result(TlsaMatchOutcome.ChainInvalid, null, -1, "The leaf certificate is malformed (for example an empty issuer name), so no certification path can be validated; only DANE-EE records could match it.")
                : Result(TlsaMatchOutcome.NoMatch, null, -1, "No usable TLSA record matched the leaf certificate.");
        }
        ctx.Load(usable, nodes);
        if (ctx.HasPkix)
        {
            var ee = ctx.PkixEe.FirstOrDefault(r => leaf.Matches(r.Record));
            if (ee is not null) ctx.NotePkixMatch(ee.Record, 0);
        }
        var path = new List<Node> { leaf };
        ctx.Walk(path);
        if (ctx.Best is { } best && best.Outcome == TlsaMatchOutcome.Authenticated)
            return Result(best.Outcome, best.Record, best.Depth, best.Reason);
        if (!ctx.PkixPathFound && ctx.PkixMatchRecord is not null)
        {
            ctx.Consider(new Verdict(TlsaMatchOutcome.PkixPathFailed, ctx.PkixMatchRecord, ctx.PkixMatchDepth,
                $"{Usage(ctx.PkixMatchRecord)} record {Short(ctx.PkixMatchRecord)} matched at depth {ctx.PkixMatchDepth}, but no path to a certificate in the PKIX trust store could be built."));
        }
        if (ctx.Best is { } failure)
            return Result(failure.Outcome, failure.Record, failure.Depth, failure.Reason);
        return Result(TlsaMatchOutcome.NoMatch, null, -1,
            ctx.PkixPathFound
                ? "No usable TLSA record matched the presented chain or its PKIX path."
                : "No usable TLSA record matched the presented chain.");
    }

    internal static string Short(TlsaRecord r)
    {
        var hex = r.AssociationDataHex;
        var data = hex.Length > 16 ? hex.Substring(0, 16) + "..." : hex;
        return string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} {3}", (byte)r.Usage, (byte)r.Selector, (byte)r.MatchingType, data);
    }

    private static string Usage(TlsaRecord r) => TlsaRecord.UsageMnemonic(r.Usage);

    internal static BcCertificate? TryParseCertificate(byte[] der)
    {
        try
        {
            // FromByteArray rejects trailing data after the DER object.
            var structure = X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(der));
            return structure is null ? null : new BcCertificate(structure);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    internal static AsymmetricKeyParameter? TryParsePublicKey(byte[] der)
    {
        try
        {
            var spki = SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(der));
            return spki is null ? null : PublicKeyFactory.CreateKey(spki);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static List<UsableRecord> Prepare(IEnumerable<TlsaRecord> records, bool smtpMode, out TlsaUsableSet set)
    {
        if (records is null) throw new ArgumentNullException(nameof(records));
        var all = records.ToList();
        if (all.Any(r => r is null)) throw new ArgumentException("The RRset contains null.", nameof(records));

        var candidates = new List<UsableRecord>();
        var reasons = new Dictionary<int, string>();
        for (int i = 0; i < all.Count; i++)
        {
            var r = all[i];
            var reason = Unusable(r, smtpMode, out var cert, out var key);
            if (reason is null) candidates.Add(new UsableRecord(i, r, cert, key));
            else reasons[i] = reason;
        }

        // RFC 7671 section 9: per (usage, selector) only the strongest digest present is used; Full(0) stays.
        var strongest = candidates
            .Where(c => c.Record.MatchingType != TlsaMatchingType.Full)
            .GroupBy(c => (c.Record.Usage, c.Record.Selector))
            .ToDictionary(g => g.Key, g => g.Max(c => DigestRank(c.Record.MatchingType)));
        var usable = new List<UsableRecord>();
        foreach (var c in candidates)
        {
            var r = c.Record;
            if (r.MatchingType != TlsaMatchingType.Full && DigestRank(r.MatchingType) < strongest[(r.Usage, r.Selector)])
            {
                reasons[c.Index] = string.Format(CultureInfo.InvariantCulture,
                    "ignored for digest agility: the RRset has {0} records for {1} {2} (RFC 7671 section 9).",
                    TlsaRecord.MatchingTypeMnemonic(StrongestType(strongest[(r.Usage, r.Selector)])),
                    TlsaRecord.UsageMnemonic(r.Usage), TlsaRecord.SelectorMnemonic(r.Selector));
                continue;
            }
            usable.Add(c);
        }

        set = new TlsaUsableSet(
            usable.Select(u => u.Record).ToList(),
            reasons.OrderBy(kv => kv.Key).Select(kv => new TlsaUnusableRecord(all[kv.Key], kv.Value)).ToList());
        return usable;
    }

    private static int DigestRank(TlsaMatchingType t) => t == TlsaMatchingType.Sha512 ? 2 : 1;

    private static TlsaMatchingType StrongestType(int rank) => rank == 2 ? TlsaMatchingType.Sha512 : TlsaMatchingType.Sha256;

    private static string? Unusable(TlsaRecord r, bool smtpMode, out BcCertificate? cert, out AsymmetricKeyParameter? key)
    {
        cert = null;
        key = null;
        if (r.Usage > TlsaUsage.DaneEe) return $"certificate usage {(byte)r.Usage} is not defined for authentication (RFC 7671 section 4.1).";
        if (r.Selector > TlsaSelector.SubjectPublicKeyInfo) return $"selector {(byte)r.Selector} is not defined (RFC 7671 section 4.1).";
        switch (r.MatchingType)
        {
            case TlsaMatchingType.Sha256 when r.DataLength != 32:
                return $"SHA2-256 data must be 32 octets, not {r.DataLength}.";
            case TlsaMatchingType.Sha512 when r.DataLength != 64:
                return $"SHA2-512 data must be 64 octets, not {r.DataLength}.";
            case TlsaMatchingType.Sha256:
            case TlsaMatchingType.Sha512:
                break;
            case TlsaMatchingType.Full when r.Selector == TlsaSelector.Certificate:
                if (RawCertificate.TryParse(r.Data) is null) return "Full(0) Cert(0) data is not a DER X.509 certificate.";
                cert = TryParseCertificate(r.Data); // null if only the lenient reader accepts it: then it only matches
                break;
            case TlsaMatchingType.Full:
                key = TryParsePublicKey(r.Data);
                if (key is null) return "Full(0) SPKI(1) data is not a DER SubjectPublicKeyInfo of a supported key type.";
                break;
            default:
                return $"matching type {(byte)r.MatchingType} is not defined (RFC 7671 section 4.1).";
        }
        if (smtpMode && r.Usage <= TlsaUsage.PkixEe)
            return $"{TlsaRecord.UsageMnemonic(r.Usage)} is unusable for SMTP (RFC 7672 section 3.1.3).";
        return null;
    }

    internal static bool VerifySignature(BcCertificate subject, AsymmetricKeyParameter issuerKey)
    {
        try
        {
            subject.Verify(issuerKey);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    internal static DateTime ToUtc(DateTime t) =>
        t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc);

    private sealed class UsableRecord
    {
        public UsableRecord(int index, TlsaRecord record, BcCertificate? certificate, AsymmetricKeyParameter? publicKey)
        {
            Index = index;
            Record = record;
            Certificate = certificate;
            PublicKey = publicKey;
        }

        public int Index { get; }
        public TlsaRecord Record { get; }
        public BcCertificate? Certificate { get; }
        public AsymmetricKeyParameter? PublicKey { get; }
    }

    private sealed class Verdict
    {
        public Verdict(TlsaMatchOutcome outcome, TlsaRecord? record, int depth, string reason)
        {
            Outcome = outcome;
            Record = record;
            Depth = depth;
            Reason = reason;
        }

        public TlsaMatchOutcome Outcome { get; }
        public TlsaRecord? Record { get; }
        public int Depth { get; }
        public string Reason { get; }

        // Lower is better: how close the failed attempt came to authenticating.
        public int Rank => Outcome switch
        {
            TlsaMatchOutcome.Authenticated => 0,
            TlsaMatchOutcome.NameMismatch => 1,
            TlsaMatchOutcome.CertificateExpired => 2,
            TlsaMatchOutcome.CertificateNotYetValid => 3,
            TlsaMatchOutcome.ChainInvalid => 4,
            TlsaMatchOutcome.PkixPathFailed => 5,
            _ => 6,
        };
    }

    private sealed class Node
    {
        private readonly Dictionary<(TlsaSelector, TlsaMatchingType), byte[]> _digests = new();
        private AsymmetricKeyParameter? _key;

        public Node(RawCertificate raw, BcCertificate? cert, byte[] der, string source)
        {
            Raw = raw;
            Cert = cert;
            Der = der;
            Spki = raw.Spki;
            Source = source;
            var names = new List<string>();
            var sans = cert?.GetSubjectAlternativeNames();
            if (sans is not null)
            {
                foreach (var san in sans)
                {
                    if (san.Count >= 2 && san[0] is int type && type == GeneralName.DnsName && san[1] is string s) names.Add(s);
                }
            }
            DnsNames = names;
            CommonNames = raw.Subject.GetValueList(X509Name.CN).ToList();
        }

        public RawCertificate Raw { get; }

        /// <summary>Gets the BouncyCastle certificate, or null when only the lenient reader accepts the DER.</summary>
        public BcCertificate? Cert { get; }
        public byte[] Der { get; }
        public byte[] Spki { get; }
        public string Source { get; }
        public IReadOnlyList<string> DnsNames { get; }
        public IReadOnlyList<string> CommonNames { get; }

        public AsymmetricKeyParameter? Key
        {
            get
            {
                if (_key is null && Cert is not null)
                {
                    try { _key = Cert.GetPublicKey(); }
                    catch (Exception ex) when (ex is not OutOfMemoryException) { _key = null; }
                }
                return _key;
            }
        }

        public bool IsIssuedBy(Node issuer) => Raw.Issuer.Equivalent(issuer.Raw.Subject);

        public bool SameAs(Node other) => Hex.FixedTimeEquals(Der, other.Der);

        public bool Matches(TlsaRecord r)
        {
            var content = r.Selector == TlsaSelector.Certificate ? Der : Spki;
            if (r.MatchingType == TlsaMatchingType.Full) return Hex.FixedTimeEquals(content, r.Data);
            var key = (r.Selector, r.MatchingType);
            if (!_digests.TryGetValue(key, out var digest))
            {
                digest = TlsaAssociation.Digest(r.MatchingType, content);
                _digests[key] = digest;
            }
            return Hex.FixedTimeEquals(digest, r.Data);
        }

        public PresentedCertificate Describe(int position) => new(position, Der,
            Raw.Subject.ToString(), Raw.Issuer.ToString(), ToUtc(Raw.NotBefore), ToUtc(Raw.NotAfter),
            Hex.Encode(TlsaAssociation.Digest(TlsaMatchingType.Sha256, Der)),
            Hex.Encode(TlsaAssociation.Digest(TlsaMatchingType.Sha256, Spki)),
            DnsNames, CommonNames);
    }

    private sealed class Context
    {
        private readonly List<string> _referenceIdentifiers;
        private readonly List<Node> _trust = new();
        private readonly List<Node> _pool = new();
        private List<UsableRecord> _daneTa = new();
        private List<UsableRecord> _bareKeys = new();
        private List<UsableRecord> _pkixTa = new();
        private int _steps;

        public Context(TlsaMatchOptions options)
        {
            _referenceIdentifiers = options.ReferenceIdentifiers.Where(n => n is not null).Select(DnsNameMatcher.Normalize)
                .Where(n => n.Length > 0).ToList();
            Time = options.ValidationTime is { } t ? ToUtc(t) : DateTime.UtcNow;
            CheckNamesOnDaneEe = options.CheckNamesOnDaneEe;
            SmtpMode = options.SmtpMode;
            int i = 0;
            foreach (var der in options.TrustStore)
            {
                var cert = der is null ? null : TryParseCertificate(der);
                if (cert is null)
                    throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "Trust store entry {0} is not a DER X.509 certificate.", i), nameof(options));
                _trust.Add(new Node(RawCertificate.TryParse(der!)!, cert, (byte[])der!.Clone(), "trust store"));
                i++;
            }
        }

        public DateTime Time { get; }
        public bool CheckNamesOnDaneEe { get; }
        public bool SmtpMode { get; }
        public List<UsableRecord> PkixEe { get; private set; } = new();
        public bool HasPkix => PkixEe.Count > 0 || _pkixTa.Count > 0;
        public bool PkixPathFound { get; private set; }
        public TlsaRecord? PkixMatchRecord { get; private set; }
        public int PkixMatchDepth { get; private set; } = -1;
        public Verdict? Best { get; private set; }
        private bool Done => Best is { Outcome: TlsaMatchOutcome.Authenticated };

        public void Load(List<UsableRecord> usable, List<Node> presented)
        {
            _daneTa = usable.Where(u => u.Record.Usage == TlsaUsage.DaneTa).ToList();
            _bareKeys = _daneTa.Where(u => u.PublicKey is not null).ToList();
            _pkixTa = usable.Where(u => u.Record.Usage == TlsaUsage.PkixTa).ToList();
            PkixEe = usable.Where(u => u.Record.Usage == TlsaUsage.PkixEe).ToList();
            foreach (var n in presented.Skip(1).Where(n => n.Cert is not null)) AddToPool(n);
            // Full(0) certificates from DNS: DANE-TA anchors the server need not send (RFC 7671 5.2.2) and PKIX-TA
            // untrusted path helpers.
            foreach (var u in usable.Where(u => u.Certificate is not null && u.Record.Usage is TlsaUsage.DaneTa or TlsaUsage.PkixTa))
                AddToPool(new Node(RawCertificate.TryParse(u.Record.Data)!, u.Certificate!, u.Record.Data, "DNS"));
        }

        private void AddToPool(Node n)
        {
            if (!_pool.Any(p => p.SameAs(n))) _pool.Add(n);
        }

        public void NotePkixMatch(TlsaRecord record, int depth)
        {
            if (PkixMatchRecord is null || depth < PkixMatchDepth)
            {
                PkixMatchRecord = record;
                PkixMatchDepth = depth;
            }
        }

        public void Consider(Verdict v)
        {
            if (Best is null || v.Rank < Best.Rank) Best = v;
        }

        public bool NamesMatch(Node leaf) => DnsNameMatcher.Matches(leaf.DnsNames, leaf.CommonNames, _referenceIdentifiers);

        public string NameProblem(Node leaf)
        {
            if (_referenceIdentifiers.Count == 0) return "no reference identifier was given to check the leaf's names against.";
            var names = leaf.DnsNames.Count > 0 ? "DNS names " + string.Join(", ", leaf.DnsNames) :
                leaf.CommonNames.Count > 0 ? "common names " + string.Join(", ", leaf.CommonNames) : "no DNS name";
            return $"the leaf's {names} match none of {string.Join(", ", _referenceIdentifiers)}.";
        }

        public void Walk(List<Node> path)
        {
            if (Done || ++_steps > MaxWalkSteps || path.Count > MaxPathLength) return;
            var top = path[path.Count - 1];
            var topCert = top.Cert!; // the leaf was checked and the pool holds only parsed certificates
            int depth = path.Count - 1;

            // DANE-TA: a certificate above the leaf matches (RFC 7671 5.2); the leaf itself is never a TA.
            if (depth >= 1)
            {
                foreach (var r in _daneTa)
                {
                    if (!top.Matches(r.Record)) continue;
                    Evaluate(path, depth, null, r.Record, depth);
                    if (Done) return;
                }
            }

            if (HasPkix)
            {
                if (depth >= 1)
                {
                    var ta = _pkixTa.FirstOrDefault(r => top.Matches(r.Record));
                    if (ta is not null) NotePkixMatch(ta.Record, depth);
                }
                foreach (var t in _trust)
                {
                    if (top.SameAs(t))
                    {
                        EvaluatePkix(path, depth);
                    }
                    else if (t.Key is { } trustKey && top.IsIssuedBy(t) && VerifySignature(topCert, trustKey))
                    {
                        path.Add(t);
                        EvaluatePkix(path, depth + 1);
                        path.RemoveAt(path.Count - 1);
                    }
                    if (Done) return;
                }
            }

            foreach (var issuer in _pool)
            {
                if (!top.IsIssuedBy(issuer) || path.Any(p => p.SameAs(issuer))) continue;
                path.Add(issuer);
                Walk(path);
                path.RemoveAt(path.Count - 1);
                if (Done) return;
            }

            // DANE-TA bare public key (2 1 0) that signed the top certificate (RFC 7671 5.2.3). Tried after the
            // path could not be extended to a matching certificate, as OpenSSL does, so a key whose certificate
            // was sent matches that certificate and reports its depth.
            foreach (var r in _bareKeys)
            {
                if (!VerifySignature(topCert, r.PublicKey!)) continue;
                Evaluate(path, path.Count, r.PublicKey, r.Record, depth);
                if (Done) return;
            }
        }

        private void EvaluatePkix(List<Node> path, int anchorIndex)
        {
            PkixPathFound = true;
            var ee = PkixEe.FirstOrDefault(r => path[0].Matches(r.Record));
            if (ee is not null)
            {
                Evaluate(path, anchorIndex, null, ee.Record, 0);
                return;
            }
            for (int i = 1; i <= anchorIndex && i < path.Count; i++)
            {
                var ta = _pkixTa.FirstOrDefault(r => path[i].Matches(r.Record));
                if (ta is null) continue;
                Evaluate(path, anchorIndex, null, ta.Record, i);
                return;
            }
        }

        /// <summary>Validates the certificates below the anchor: path[anchorIndex], or the bare key above the top.</summary>
        private void Evaluate(List<Node> path, int anchorIndex, AsymmetricKeyParameter? bareKey, TlsaRecord record, int depth)
        {
            string what = string.Format(CultureInfo.InvariantCulture, "{0} record {1} matched at depth {2}", Usage(record), Short(record), depth);
            int below = Math.Min(anchorIndex, path.Count);

            for (int i = 0; i < below; i++)
            {
                var issuerKey = i + 1 < path.Count ? path[i + 1].Key : bareKey;
                if (issuerKey is null || !VerifySignature(path[i].Cert!, issuerKey))
                {
                    Consider(new Verdict(TlsaMatchOutcome.ChainInvalid, record, depth, string.Format(CultureInfo.InvariantCulture,
                        "{0}, but the signature of the certificate at depth {1} ({2}) does not verify with its issuer's key.", what, i, path[i].Raw.Subject)));
                    return;
                }
            }

            for (int i = 1; i < below; i++)
            {
                var cert = path[i].Cert!;
                int pathLen = cert.GetBasicConstraints();
                var keyUsage = cert.GetKeyUsage();
                string? problem =
                    pathLen < 0 ? "is not a CA (basicConstraints)" :
                    pathLen < i - 1 ? "has a pathLenConstraint the path exceeds" :
                    keyUsage is not null && (keyUsage.Length <= 5 || !keyUsage[5]) ? "may not sign certificates (keyUsage)" : null;
                if (problem is not null)
                {
                    Consider(new Verdict(TlsaMatchOutcome.ChainInvalid, record, depth, string.Format(CultureInfo.InvariantCulture,
                        "{0}, but the issuer at depth {1} ({2}) {3}.", what, i, cert.SubjectDN, problem)));
                    return;
                }
            }

            for (int i = 0; i < below; i++)
            {
                var cert = path[i].Raw;
                var notBefore = ToUtc(cert.NotBefore);
                var notAfter = ToUtc(cert.NotAfter);
                if (Time > notAfter)
                {
                    Consider(new Verdict(TlsaMatchOutcome.CertificateExpired, record, depth, string.Format(CultureInfo.InvariantCulture,
                        "{0}, but the certificate at depth {1} ({2}) expired {3:yyyy-MM-dd HH:mm:ss}Z.", what, i, cert.Subject, notAfter)));
                    return;
                }
                if (Time < notBefore)
                {
                    Consider(new Verdict(TlsaMatchOutcome.CertificateNotYetValid, record, depth, string.Format(CultureInfo.InvariantCulture,
                        "{0}, but the certificate at depth {1} ({2}) is not valid before {3:yyyy-MM-dd HH:mm:ss}Z.", what, i, cert.Subject, notBefore)));
                    return;
                }
            }

            if (!NamesMatch(path[0]))
            {
                Consider(new Verdict(TlsaMatchOutcome.NameMismatch, record, depth, $"{what}, but {NameProblem(path[0])}"));
                return;
            }

            var anchor = bareKey is not null ? "a public key from DNS" :
                string.Format(CultureInfo.InvariantCulture, "{0} ({1})", path[anchorIndex].Raw.Subject, path[anchorIndex].Source);
            Consider(new Verdict(TlsaMatchOutcome.Authenticated, record, depth, string.Format(CultureInfo.InvariantCulture,
                "{0}; the path to the trust anchor {1} is valid and the leaf's names match.", what, anchor)));
        }
    }
}
