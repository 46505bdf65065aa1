using System;

namespace DaneTools.Core.Dnssec;

/// <summary>
/// Options of a DNSSEC validation. Mutable; the validator snapshots them when a validation starts.
/// </summary>
/// <remarks>The budget defaults follow DESIGN.md section 5 (KeyTrap, CVE-2023-50387 and CVE-2023-50868).</remarks>
public sealed class DnssecValidatorOptions
{
    /// <summary>Gets or sets the trust anchors. Default is null: the IANA root KSKs 20326 and 38696.</summary>
    public TrustAnchorStore? TrustAnchors { get; set; }

    /// <summary>Gets or sets the validation time (UTC) used for RRSIG inception/expiration. Default is null: the clock's now.</summary>
    public DateTime? ValidationTime { get; set; }

    /// <summary>
    /// Gets or sets whether RSA/SHA-1 (algorithms 5 and 7) is treated as unsupported (RFC 9905), which makes zones
    /// signed only with them Insecure. Default is false: they validate, with a deprecation warning.
    /// </summary>
    public bool StrictSha1 { get; set; }

    /// <summary>Gets or sets the most signature verifications for one RRset. Default is 8.</summary>
    public int MaxSignatureVerificationsPerRrset { get; set; } = 8;

    /// <summary>Gets or sets the most DNSKEYs tried for one RRSIG key tag (colliding tags). Default is 4.</summary>
    public int MaxKeysPerKeyTag { get; set; } = 4;

    /// <summary>Gets or sets the most NSEC3 hash computations (distinct names) for one response. Default is 32.</summary>
    public int MaxNsec3HashesPerResponse { get; set; } = 32;

    /// <summary>Gets or sets the most signature verifications for one validated name and type, chain included. Default is 100.</summary>
    public int MaxSignatureVerifications { get; set; } = 100;

    /// <summary>Gets or sets the most queries for one validated name and type, chain included. Default is 64.</summary>
    public int MaxQueries { get; set; } = 64;

    /// <summary>Gets or sets the most CNAME/DNAME links followed. Default is 12.</summary>
    public int MaxChainLinks { get; set; } = 12;

    /// <summary>Gets or sets the most NSEC3 iterations accepted; above it an NSEC3-proven answer is Insecure (RFC 9276 section 3.2). Default is 150.</summary>
    public int MaxNsec3Iterations { get; set; } = 150;

    /// <summary>
    /// Gets or sets the least clock-skew allowance for an RRSIG whose inception lies in the future, in seconds. The
    /// allowance is 10% of the signature's lifetime (expiration minus inception), at least this and at most
    /// <see cref="MaxInceptionSkewSeconds"/>: Unbound's val-sig-skew-min/max defaults, so the verdict predicts what
    /// large validating resolvers accept from a signer whose clock runs ahead. Default is 3600 (1 hour); 0 with a
    /// maximum of 0 accepts no skew, as BIND's delv. An expired RRSIG gets no allowance (RFC 4035 section 5.3.1).
    /// </summary>
    public int MinInceptionSkewSeconds { get; set; } = 3600;

    /// <summary>Gets or sets the most clock-skew allowance for a future inception, in seconds. Default is 86400 (24 hours).</summary>
    public int MaxInceptionSkewSeconds { get; set; } = 86400;

    // The IANA anchors, parsed once; every snapshot clones them (clones share the parsed anchors and fingerprint).
    private static readonly TrustAnchorStore s_defaultAnchors = TrustAnchorStore.CreateDefault();

    internal ValidatorSettings Snapshot(IClock clock)
    {
        static int Positive(int value, string name) => value > 0 ? value : throw new ArgumentOutOfRangeException(name, "Budgets must be positive.");
        return new ValidatorSettings(
            (TrustAnchors ?? s_defaultAnchors).Clone(),
            SerialTime.ToUtc(ValidationTime ?? clock.UtcNow),
            StrictSha1,
            Positive(MaxSignatureVerificationsPerRrset, nameof(MaxSignatureVerificationsPerRrset)),
            Positive(MaxKeysPerKeyTag, nameof(MaxKeysPerKeyTag)),
            Positive(MaxNsec3HashesPerResponse, nameof(MaxNsec3HashesPerResponse)),
            Positive(MaxSignatureVerifications, nameof(MaxSignatureVerifications)),
            Positive(MaxQueries, nameof(MaxQueries)),
            Positive(MaxChainLinks, nameof(MaxChainLinks)),
            MaxNsec3Iterations >= 0 ? MaxNsec3Iterations : throw new ArgumentOutOfRangeException(nameof(MaxNsec3Iterations)))
        {
            MinInceptionSkew = MinInceptionSkewSeconds >= 0 ? (uint)MinInceptionSkewSeconds : throw new ArgumentOutOfRangeException(nameof(MinInceptionSkewSeconds)),
            MaxInceptionSkew = MaxInceptionSkewSeconds >= MinInceptionSkewSeconds ? (uint)MaxInceptionSkewSeconds
                : throw new ArgumentOutOfRangeException(nameof(MaxInceptionSkewSeconds), "The maximum skew must not be below the minimum."),
        };
    }
}

/// <summary>The immutable snapshot of <see cref="DnssecValidatorOptions"/> used during one validation.</summary>
internal sealed class ValidatorSettings
{
    public ValidatorSettings(TrustAnchorStore anchors, DateTime validationTime, bool strictSha1, int perRrset, int perKeyTag,
        int nsec3PerResponse, int totalVerifications, int totalQueries, int chainLinks, int maxNsec3Iterations)
    {
        Anchors = anchors;
        ValidationTime = validationTime;
        Now = SerialTime.FromDateTime(validationTime);
        StrictSha1 = strictSha1;
        MaxVerificationsPerRrset = perRrset;
        MaxKeysPerKeyTag = perKeyTag;
        MaxNsec3HashesPerResponse = nsec3PerResponse;
        MaxVerifications = totalVerifications;
        MaxQueries = totalQueries;
        MaxChainLinks = chainLinks;
        MaxNsec3Iterations = maxNsec3Iterations;
    }

    public TrustAnchorStore Anchors { get; }

    public DateTime ValidationTime { get; }

    /// <summary>The validation time as a 32-bit serial time.</summary>
    public uint Now { get; }

    public bool StrictSha1 { get; }

    public int MaxVerificationsPerRrset { get; }

    public int MaxKeysPerKeyTag { get; }

    public int MaxNsec3HashesPerResponse { get; }

    public int MaxVerifications { get; }

    public int MaxQueries { get; }

    public int MaxChainLinks { get; }

    public int MaxNsec3Iterations { get; }

    /// <summary>The least allowance for a future RRSIG inception, in seconds.</summary>
    public uint MinInceptionSkew { get; set; } = 3600;

    /// <summary>The most allowance for a future RRSIG inception, in seconds.</summary>
    public uint MaxInceptionSkew { get; set; } = 86400;

    /// <summary>Returns the allowance for a signature: 10% of its lifetime, clamped to the minimum and maximum (seconds).</summary>
    public uint InceptionSkew(uint inception, uint expiration)
    {
        uint lifetime = unchecked(expiration - inception);
        uint tenth = lifetime / 10;
        return Math.Min(Math.Max(tenth, MinInceptionSkew), MaxInceptionSkew);
    }
}
