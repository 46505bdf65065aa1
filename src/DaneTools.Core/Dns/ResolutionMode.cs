namespace DaneTools.Core.Dns;

/// <summary>How names are resolved (the cmdlets' -Resolution parameter).</summary>
public enum ResolutionMode
{
    /// <summary>Ask the resolver when it is DNSSEC-aware; resolve from the root servers when it strips DNSSEC.</summary>
    Auto,

    /// <summary>Always ask the resolver (with authoritative fallback on SERVFAIL); a resolver that strips DNSSEC is an error.</summary>
    Recursive,

    /// <summary>Resolve from the root servers by referrals (RD=0); no resolver is asked.</summary>
    Iterative,
}
