using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

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

    /// <summary>
    /// Starts lookups that do not depend on each other so that they overlap, in either <see cref="DnsIoMode"/>: on a
    /// pool thread each is started here in order (awaited reads overlap by themselves); on another thread (a bulk worker,
    /// whose reads block it) all but the first are started on the pool, where the same source awaits, and the first then
    /// runs here, so a blocked read no longer holds back the others (issue 20: a cold domain's round trips one after another).
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="work">The lookups to start, in the order they would be started one after another.</param>
    /// <returns>One task per lookup, in the order of <paramref name="work"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    public static Task<T>[] StartTogether<T>(IReadOnlyList<Func<Task<T>>> work)
    {
        if (work is null) throw new ArgumentNullException(nameof(work));
        var tasks = new Task<T>[work.Count];
        if (Thread.CurrentThread.IsThreadPoolThread)
        {
            for (int i = 0; i < tasks.Length; i++) tasks[i] = work[i]();
            return tasks;
        }
        for (int i = 1; i < tasks.Length; i++) tasks[i] = StartBeside(work[i]);
        if (tasks.Length > 0) tasks[0] = work[0]();
        return tasks;
    }

    /// <summary>
    /// Starts work beside what the calling thread does next: here on a pool thread (its reads are awaited), on the pool
    /// from any other thread (a bulk worker's reads block it, so the caller's next lookup would wait for this one).
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="work">The work to start.</param>
    /// <returns>The work's task.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    public static Task<T> StartBeside<T>(Func<Task<T>> work)
    {
        if (work is null) throw new ArgumentNullException(nameof(work));
        return Thread.CurrentThread.IsThreadPoolThread ? work() : Task.Run(work);
    }
}
