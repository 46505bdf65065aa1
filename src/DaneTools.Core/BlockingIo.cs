using System;

namespace DaneTools.Core;

/// <summary>
/// Lets a dedicated bulk worker thread make its DNS queries (<see cref="Dns.DnsClientRecordSource"/>) with blocking
/// socket reads.
/// </summary>
/// <remarks>
/// A blocking read is woken by the data itself. An awaited one registers the socket with the runtime's event loop,
/// which wakes its own thread and then queues the continuation to a pool thread: two thread switches per read. A DANE
/// check makes about six DNS reads per domain, so in a bulk run of thousands of domains the hand-offs were a fifth of
/// the client's CPU (bench/README.md). A blocked read ends within the DNS timeout (Ctrl+C is checked before each
/// query). The STARTTLS probe stays awaited: MailKit's blocking reads poll every 250 ms for cancellation and showed
/// 45 ms stalls on the lab for no gain in the bench. Only threads that are not the thread pool's may block: a blocked
/// pool thread starves the awaited work.
/// </remarks>
public static class BlockingIo
{
    [ThreadStatic]
    private static bool t_enabled;

    /// <summary>Gets whether I/O started on the calling thread blocks (inside <see cref="Run{T}"/>).</summary>
    internal static bool IsEnabled => t_enabled;

    /// <summary>
    /// Runs <paramref name="body"/> at once on the calling thread with blocking I/O. Whatever the body does after its
    /// first awaited operation that did not complete at once runs on pool threads, with awaited I/O as usual.
    /// </summary>
    /// <typeparam name="T">The body's result, typically a task that is already complete.</typeparam>
    /// <param name="body">The work.</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    public static T Run<T>(Func<T> body)
    {
        if (body is null) throw new ArgumentNullException(nameof(body));
        bool previous = t_enabled;
        t_enabled = true;
        try
        {
            return body();
        }
        finally
        {
            t_enabled = previous;
        }
    }
}
