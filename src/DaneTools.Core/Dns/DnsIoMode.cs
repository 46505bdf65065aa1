using System.Threading;

namespace DaneTools.Core.Dns;

/// <summary>How a record source waits for an answer: awaited (the default) or with a blocking read.</summary>
/// <remarks>
/// A blocking read is woken by the data itself. An awaited one registers the socket with the runtime's event loop, which
/// wakes its own thread and then queues the continuation to a pool thread: two thread switches per read. A DANE check
/// makes about six DNS reads per domain, so in a bulk run of thousands of domains the hand-offs were a fifth of the
/// client's CPU (bench/README.md). The bulk runner therefore gives its dedicated worker threads a
/// <see cref="Blocking"/> view of the run's record source (<see cref="IDnsIoModeSource.WithIoMode"/>).
/// </remarks>
public enum DnsIoMode
{
    /// <summary>Every query is awaited; the calling thread is free while the answer travels.</summary>
    Awaited,

    /// <summary>
    /// A query made on a thread that is not the thread pool's blocks that thread until the answer, the time limit or a
    /// cancellation checked before the query (a blocked read ends within the timeout and retries). On a pool thread
    /// (e.g. after an awaited SMTP step) the query is awaited all the same: a blocked pool thread starves awaited work.
    /// </summary>
    Blocking,
}

/// <summary>A record source that can be viewed in another <see cref="DnsIoMode"/> while sharing its servers and caches.</summary>
public interface IDnsIoModeSource : IDnsRecordSource
{
    /// <summary>Gets how this source waits for answers.</summary>
    DnsIoMode IoMode { get; }

    /// <summary>Returns a source asking the same servers, sharing this source's caches and counters, in <paramref name="mode"/>.</summary>
    /// <param name="mode">The way the returned source waits for answers.</param>
    /// <returns>This source when it is in <paramref name="mode"/> already; otherwise a view of it.</returns>
    IDnsRecordSource WithIoMode(DnsIoMode mode);
}

/// <summary>Helpers over <see cref="DnsIoMode"/>.</summary>
public static class DnsIoModes
{
    /// <summary>Returns <paramref name="source"/> in <paramref name="mode"/> when it supports modes, otherwise unchanged.</summary>
    /// <param name="source">The source.</param>
    /// <param name="mode">The mode wanted.</param>
    /// <returns>The source to use.</returns>
    public static IDnsRecordSource WithIoMode(this IDnsRecordSource source, DnsIoMode mode) =>
        source is IDnsIoModeSource switchable ? switchable.WithIoMode(mode) : source;

    /// <summary>Gets whether a query in <paramref name="mode"/> made on the calling thread blocks it.</summary>
    internal static bool BlocksCallingThread(DnsIoMode mode) =>
        mode == DnsIoMode.Blocking && !Thread.CurrentThread.IsThreadPoolThread;
}
