using System;

namespace DaneTools.Core;

/// <summary>
/// Lets a dedicated bulk worker thread do its network I/O with blocking socket calls: the DNS queries
/// (<see cref="Dns.DnsClientRecordSource"/>) and the STARTTLS probe (<see cref="Smtp.SmtpStartTlsProbe"/>).
/// </summary>
/// <remarks>
/// A blocking read is woken by the data itself. An awaited one registers the socket with the runtime's event loop,
/// which wakes its own thread and then queues the continuation to a pool thread: two thread switches per read. A DANE
/// check makes about six DNS reads and ten SMTP/TLS reads per address, so in a bulk run of thousands of domains the
/// hand-offs were a fifth of the client's CPU (bench/README.md). Blocking calls are bounded by their timeouts, and a
/// cancelled probe closes its socket, which ends a blocked read; a blocked DNS read ends within the DNS timeout.
/// Only threads that are not the thread pool's may block: a blocked pool thread starves the awaited work.
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
