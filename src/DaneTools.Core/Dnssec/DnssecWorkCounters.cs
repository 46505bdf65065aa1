using System.Threading;

namespace DaneTools.Core.Dnssec;

/// <summary>
/// The work one validation did, counted against its budgets (DESIGN.md section 5). Cache hits cost nothing.
/// </summary>
/// <remarks>Immutable snapshot taken when the validation ends.</remarks>
public sealed class DnssecWorkCounters
{
    /// <summary>Creates a snapshot.</summary>
    /// <param name="signatureVerifications">Signature verifications performed.</param>
    /// <param name="queries">Queries sent to the record source.</param>
    /// <param name="nsec3HashComputations">NSEC3 hashes computed (distinct names per response).</param>
    /// <param name="maxNsec3HashesInOneResponse">The most NSEC3 hashes computed for any one response.</param>
    /// <param name="maxVerificationsForOneRrset">The most signature verifications spent on any one RRset.</param>
    /// <param name="cacheHits">Key entries and delegation proofs taken from the cache.</param>
    public DnssecWorkCounters(int signatureVerifications, int queries, int nsec3HashComputations, int maxNsec3HashesInOneResponse, int maxVerificationsForOneRrset, int cacheHits)
    {
        SignatureVerifications = signatureVerifications;
        Queries = queries;
        Nsec3HashComputations = nsec3HashComputations;
        MaxNsec3HashesInOneResponse = maxNsec3HashesInOneResponse;
        MaxVerificationsForOneRrset = maxVerificationsForOneRrset;
        CacheHits = cacheHits;
    }

    /// <summary>Gets the number of signature verifications performed.</summary>
    public int SignatureVerifications { get; }

    /// <summary>Gets the number of queries sent.</summary>
    public int Queries { get; }

    /// <summary>Gets the number of NSEC3 hashes computed.</summary>
    public int Nsec3HashComputations { get; }

    /// <summary>Gets the most NSEC3 hashes computed for one response.</summary>
    public int MaxNsec3HashesInOneResponse { get; }

    /// <summary>Gets the most signature verifications spent on one RRset.</summary>
    public int MaxVerificationsForOneRrset { get; }

    /// <summary>Gets the number of cache hits.</summary>
    public int CacheHits { get; }

    /// <summary>Formats the counters on one line.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"verifications={SignatureVerifications} queries={Queries} nsec3Hashes={Nsec3HashComputations} cacheHits={CacheHits}";
}

/// <summary>Mutable, thread-safe budget counters of one validation.</summary>
internal sealed class WorkBudget
{
    private readonly ValidatorSettings _settings;
    private int _verifications;
    private int _queries;
    private int _nsec3;
    private int _maxNsec3PerResponse;
    private int _maxPerRrset;
    private int _cacheHits;

    public WorkBudget(ValidatorSettings settings) => _settings = settings;

    public int Verifications => Volatile.Read(ref _verifications);

    public int Queries => Volatile.Read(ref _queries);

    /// <summary>Takes one signature verification; false when the total budget is spent.</summary>
    public bool TryVerification()
    {
        if (Interlocked.Increment(ref _verifications) <= _settings.MaxVerifications) return true;
        Interlocked.Decrement(ref _verifications);
        return false;
    }

    /// <summary>Takes one query; false when the query budget is spent.</summary>
    public bool TryQuery()
    {
        if (Interlocked.Increment(ref _queries) <= _settings.MaxQueries) return true;
        Interlocked.Decrement(ref _queries);
        return false;
    }

    public void AddNsec3Hashes(int count)
    {
        Interlocked.Add(ref _nsec3, count);
        InterlockedMax(ref _maxNsec3PerResponse, count);
    }

    public void RecordRrsetVerifications(int count) => InterlockedMax(ref _maxPerRrset, count);

    public void CacheHit() => Interlocked.Increment(ref _cacheHits);

    public DnssecWorkCounters Snapshot() => new(Verifications, Queries, Volatile.Read(ref _nsec3), Volatile.Read(ref _maxNsec3PerResponse), Volatile.Read(ref _maxPerRrset), Volatile.Read(ref _cacheHits));

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
