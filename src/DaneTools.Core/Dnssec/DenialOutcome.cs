namespace DaneTools.Core.Dnssec;

/// <summary>What a set of validated NSEC or NSEC3 records proves about a name.</summary>
internal enum DenialVerdict
{
    /// <summary>The records prove nothing useful for the question.</summary>
    Missing,

    /// <summary>The name does not exist (and no wildcard could have produced it).</summary>
    NameError,

    /// <summary>The name exists (possibly through a wildcard or as an empty non-terminal) without the type.</summary>
    NoData,

    /// <summary>DS question: the name exists and is not a delegation, so it is no zone cut.</summary>
    NotACut,

    /// <summary>An unsigned delegation (NS without DS) or an opt-out span that may hide one.</summary>
    InsecureDelegation,

    /// <summary>The proof uses parameters the policy does not accept (unknown NSEC3 hash, too many iterations): Insecure.</summary>
    Unsupported,

    /// <summary>The NSEC3 hash budget ran out.</summary>
    WorkLimitExceeded,
}

/// <summary>A denial verdict with its explanation.</summary>
internal sealed class DenialOutcome
{
    public DenialOutcome(DenialVerdict verdict, string message, string? code = null)
    {
        Verdict = verdict;
        Message = message;
        Code = code;
    }

    public DenialVerdict Verdict { get; }

    public string Message { get; }

    /// <summary>A reason code overriding the verdict's default (e.g. Nsec3IterationsTooHigh).</summary>
    public string? Code { get; }

    public override string ToString() => $"{Verdict}: {Message}";
}
