namespace DaneTools.Core.Inbound;

/// <summary>The stable codes of the checks the stage table reads (DESIGN section 6b).</summary>
public static class InboundCodes
{
    /// <summary>DnssecChain: the MX RRset is Secure.</summary>
    public const string Secure = nameof(Secure);

    /// <summary>DnssecChain: the MX RRset is Insecure (unsigned zone or no DS at the parent).</summary>
    public const string Insecure = nameof(Insecure);

    /// <summary>DnssecChain: a link of the chain is broken.</summary>
    public const string Bogus = nameof(Bogus);

    /// <summary>DnssecChain: the lookup failed without DNSSEC evidence (timeout, SERVFAIL).</summary>
    public const string Indeterminate = nameof(Indeterminate);

    /// <summary>MxRecordSet: the MX lookup gave no RRset to judge (failed or bogus).</summary>
    public const string MxLookupFailed = nameof(MxLookupFailed);

    /// <summary>MxRecordSet: no MX RRset (NODATA, null MX or NXDOMAIN).</summary>
    public const string NoMx = nameof(NoMx);

    /// <summary>MxRecordSet: no MX host is an Exchange Online host.</summary>
    public const string NoExchangeOnlineHost = nameof(NoExchangeOnlineHost);

    /// <summary>MxRecordSet: Exchange Online's legacy host, no new host.</summary>
    public const string LegacyOnly = nameof(LegacyOnly);

    /// <summary>MxRecordSet: the new host beside another MX.</summary>
    public const string NewWithOthers = nameof(NewWithOthers);

    /// <summary>MxRecordSet: the new host is the only MX.</summary>
    public const string NewOnly = nameof(NewOnly);
}
