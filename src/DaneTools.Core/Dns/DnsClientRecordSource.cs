using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;

namespace DaneTools.Core.Dns;

/// <summary>Settings of the DNS transport; snapshotted when a <see cref="DnsClientRecordSource"/> is made.</summary>
public sealed class DnsTransportOptions
{
    /// <summary>Gets or sets the servers to ask, in order. Default is empty: the system's resolvers.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; set; } = Array.Empty<IPEndPoint>();

    /// <summary>Gets or sets the time to wait for one answer, in seconds. Default is 5.</summary>
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>Gets or sets how many times a question that got no answer is asked again. Default is 1.</summary>
    public int Retries { get; set; } = 1;

    /// <summary>Gets or sets the RD bit: true for a recursive resolver, false to ask authoritative servers. Default is true.</summary>
    public bool RecursionDesired { get; set; } = true;

    /// <summary>Gets or sets how a query waits for its answer. Default is <see cref="DnsIoMode.Awaited"/>.</summary>
    public DnsIoMode IoMode { get; set; } = DnsIoMode.Awaited;
}

/// <summary>
/// The production <see cref="IDnsRecordSource"/>: DnsClient as transport (UDP with TCP on truncation, DO bit, EDNS
/// buffer 1232, no cache, no failover on a DNS error) and RDATA rebuilt from DnsClient's parsed records.
/// </summary>
/// <remarks>
/// DnsClient keeps no wire bytes, so the RDATA is rebuilt from its fields (DESIGN.md section 4) and then checked:
/// for types whose RDATA holds no compressible name the rebuilt length must equal the RDLENGTH received, names must
/// survive a round trip through their text form, and text must not have lost bytes. A record that fails this cannot
/// be validated faithfully and the query throws <see cref="DnsUnrepresentableRecordException"/>, which the
/// validator turns into Indeterminate: never guess. In <see cref="DnsIoMode.Blocking"/> a query blocks a calling thread that
/// is not the pool's (bounded by the timeout and retries; the cancellation token is checked before it starts).
/// </remarks>
public sealed class DnsClientRecordSource : IDnsIoModeSource
{
    private readonly LookupClient _client;
    private readonly DnsTransportOptions _options;

    /// <summary>Creates the source.</summary>
    /// <param name="options">Servers, timeout and RD bit; null for the defaults.</param>
    /// <exception cref="InvalidOperationException">The resolver guard is on and a server is outside the machine and the lab.</exception>
    public DnsClientRecordSource(DnsTransportOptions? options = null)
    {
        var o = options ?? new DnsTransportOptions();
        _options = new DnsTransportOptions
        {
            Servers = o.Servers.ToArray(),
            TimeoutSeconds = Math.Max(1, o.TimeoutSeconds),
            Retries = Math.Max(0, o.Retries),
            RecursionDesired = o.RecursionDesired,
            IoMode = o.IoMode,
        };
        var lookup = _options.Servers.Count > 0
            ? new LookupClientOptions(_options.Servers.Select(s => new NameServer(s)).ToArray())
            : new LookupClientOptions();
        lookup.UseCache = false;
        lookup.ContinueOnDnsError = false;
        lookup.ContinueOnEmptyResponse = false;
        lookup.ThrowDnsErrors = false;
        lookup.RequestDnsSecRecords = true;
        lookup.ExtendedDnsBufferSize = 1232;
        lookup.UseTcpFallback = true;
        lookup.UseRandomNameServer = false;
        lookup.EnableAuditTrail = false;
        lookup.Recursion = _options.RecursionDesired;
        lookup.Timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds);
        lookup.Retries = _options.Retries;
        _client = new LookupClient(lookup);
        foreach (var server in _client.NameServers) ResolverGuard.Check(EndPoint(server));
    }

    private DnsClientRecordSource(DnsClientRecordSource other, DnsIoMode mode)
    {
        _client = other._client;
        _options = new DnsTransportOptions
        {
            Servers = other._options.Servers,
            TimeoutSeconds = other._options.TimeoutSeconds,
            Retries = other._options.Retries,
            RecursionDesired = other._options.RecursionDesired,
            IoMode = mode,
        };
    }

    /// <inheritdoc/>
    public DnsIoMode IoMode => _options.IoMode;

    /// <inheritdoc/>
    public IDnsRecordSource WithIoMode(DnsIoMode mode) => mode == IoMode ? this : new DnsClientRecordSource(this, mode);

    /// <summary>Gets the servers this source asks, as <c>address:port</c>.</summary>
    public IReadOnlyList<string> Servers => _client.NameServers.Select(s => DnsServerEndpoint.Format(EndPoint(s))).ToArray();

    /// <inheritdoc/>
    /// <exception cref="DnsUnrepresentableRecordException">A record in the answer cannot be represented faithfully.</exception>
    public async Task<DnsResponse> QueryAsync(DnsName name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        if (name is null) throw new ArgumentNullException(nameof(name));
        var question = new DnsQuestion(name.ToString(), (QueryType)(ushort)type, QueryClass.IN);
        IDnsQueryResponse response;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            response = DnsIoModes.BlocksCallingThread(_options.IoMode)
                ? _client.Query(question)
                : await _client.QueryAsync(question, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex) when (!cancellationToken.IsCancellationRequested)
        {
            bool timeout = ex.Code == DnsClient.DnsResponseCode.ConnectionTimeout;
            throw new DnsTransportException(
                timeout
                    ? $"{name} {type}: no answer from {string.Join(", ", Servers)} within {_options.TimeoutSeconds} s"
                    : $"{name} {type}: {ex.DnsError} from {string.Join(", ", Servers)}",
                timeout, ex);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is System.Net.Sockets.SocketException || ex is TimeoutException || ex is OperationCanceledException))
        {
            throw new DnsTransportException($"{name} {type}: no answer from {string.Join(", ", Servers)}: {ex.Message}", true, ex);
        }
        cancellationToken.ThrowIfCancellationRequested();

        return new DnsResponse(
            (DnsResponseCode)(int)response.Header.ResponseCode,
            Convert(response.Answers, name, type),
            Convert(response.Authorities, name, type),
            Convert(response.Additionals.Where(r => r.RecordType != ResourceRecordType.OPT), name, type),
            response.NameServer is null ? null : DnsServerEndpoint.Format(EndPoint(response.NameServer)),
            response.Header.IsAuthenticData);
    }

    private static IPEndPoint EndPoint(NameServer server) => new(IPAddress.Parse(server.Address), server.Port);

    private static List<ResourceRecord> Convert(IEnumerable<DnsResourceRecord> records, DnsName qname, DnsRecordType qtype)
    {
        var result = new List<ResourceRecord>();
        foreach (var record in records)
        {
            try
            {
                result.Add(DnsClientRdata.ToResourceRecord(record));
            }
            catch (DnsUnrepresentableRecordException ex)
            {
                throw new DnsUnrepresentableRecordException($"{qname} {qtype}: {ex.Message}", ex);
            }
        }
        return result;
    }
}

/// <summary>
/// Reports a record that DnsClient cannot represent faithfully (a label holding a dot or bytes outside ASCII,
/// text that lost bytes, a length that does not add up), so it cannot be validated: the result is Indeterminate.
/// </summary>
public sealed class DnsUnrepresentableRecordException : DnsTransportException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which record and why.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DnsUnrepresentableRecordException(string message, Exception? innerException = null)
        : base(message, false, innerException)
    {
    }
}
