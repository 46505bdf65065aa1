using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using DaneTools.Core.Dns;

namespace DaneTools.PowerShell.Infrastructure;

/// <summary>
/// The one bulk runner of the module: runs a piece of work for every item, at most ThrottleLimit at once, with progress
/// (done/total) when there is more than one item, and stops on Ctrl+C. Each item's failures are the work's to report; an
/// exception escaping the work is a defect: no further item starts and it is rethrown.
/// </summary>
/// <remarks>
/// Scheduling is explicit: the work is made for a <see cref="DnsIoMode"/> (<c>workFor</c>), and the runner says which.
/// With more items than the limit and when blocking is allowed, ThrottleLimit dedicated worker threads each take the next
/// item and run work made for <see cref="DnsIoMode.Blocking"/> (blocking DNS reads, cheaper than awaited ones: see
/// <see cref="DnsIoMode"/>); otherwise each item runs as a pool task with work made for <see cref="DnsIoMode.Awaited"/>.
/// </remarks>
internal sealed class BulkRunner
{
    /// <summary>The shortest time between two progress records, in milliseconds.</summary>
    public const int ProgressIntervalMs = 200;

    private readonly int _activityId;
    private readonly string _activity;
    private readonly Action<ProgressRecord> _writeProgress;
    private readonly CancellationToken _stop;

    /// <param name="activityId">The progress activity id (one per cmdlet).</param>
    /// <param name="activity">The progress activity, e.g. "Validating DANE".</param>
    /// <param name="writeProgress">Writes a progress record from any thread.</param>
    /// <param name="stop">Cancelled on Ctrl+C.</param>
    public BulkRunner(int activityId, string activity, Action<ProgressRecord> writeProgress, CancellationToken stop)
    {
        _activityId = activityId;
        _activity = activity;
        _writeProgress = writeProgress;
        _stop = stop;
    }

    /// <summary>Runs the work for every item.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The items, collected first so the total is known.</param>
    /// <param name="throttleLimit">How many at once.</param>
    /// <param name="describe">The item's name for the progress line.</param>
    /// <param name="workFor">Makes the work for one I/O mode; called at most once per mode.</param>
    /// <param name="mayBlock">Whether dedicated worker threads with blocking DNS reads may be used for a bulk run.</param>
    /// <returns>A task that completes when every item is done.</returns>
    public async Task RunAsync<T>(IReadOnlyList<T> items, int throttleLimit, Func<T, string> describe,
        Func<DnsIoMode, Func<T, CancellationToken, Task>> workFor, bool mayBlock)
    {
        bool progress = items.Count > 1;
        int done = 0;
        // Progress at most every ProgressIntervalMs and for the last item: a record per item costs the pipeline
        // thread a wake-up and the host a redraw, thousands of times in a bulk run.
        long lastProgress = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void ItemDone(T item)
        {
            int count = Interlocked.Increment(ref done);
            long now = clock.ElapsedMilliseconds;
            long last = Interlocked.Read(ref lastProgress);
            if (progress && (count == items.Count || (now - last >= ProgressIntervalMs && Interlocked.CompareExchange(ref lastProgress, now, last) == last)))
            {
                _writeProgress(new ProgressRecord(_activityId, _activity, $"{count} of {items.Count} done")
                {
                    CurrentOperation = describe(item),
                    PercentComplete = (int)(count * 100L / items.Count),
                });
            }
        }
        try
        {
            if (mayBlock && items.Count > Math.Max(1, throttleLimit)) await RunOnWorkerThreadsAsync(items, throttleLimit, workFor(DnsIoMode.Blocking), ItemDone).ConfigureAwait(false);
            else await RunOnPoolAsync(items, throttleLimit, workFor(DnsIoMode.Awaited), ItemDone).ConfigureAwait(false);
        }
        finally
        {
            if (progress) _writeProgress(new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    // Fewer items than the limit (or no blocking allowed): each runs as a task, so a domain's own lookups overlap.
    private async Task RunOnPoolAsync<T>(IReadOnlyList<T> items, int throttleLimit, Func<T, CancellationToken, Task> work, Action<T> itemDone)
    {
        var token = _stop;
        using var gate = new SemaphoreSlim(Math.Max(1, throttleLimit));
        var running = new List<Task>();
        ExceptionDispatchInfo? failure = null;
        foreach (var item in items)
        {
            await gate.WaitAsync(token).ConfigureAwait(false);
            if (Volatile.Read(ref failure) is not null) break;
            if (running.Count >= 1024)
            {
                // Keep only unfinished tasks (memory stays flat); a finished one that failed is rethrown here.
                foreach (var finished in running.Where(t => t.IsCompleted)) await finished.ConfigureAwait(false);
                running.RemoveAll(t => t.IsCompleted);
            }
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await work(item, token).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(ex), null);
                    throw;
                }
                finally
                {
                    gate.Release();
                    itemDone(item);
                }
            }));
        }
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    // More items than the limit (a bulk run): ThrottleLimit dedicated threads each take the next item and run the work
    // made for blocking DNS reads; the items themselves overlap. On Ctrl+C this returns at once: a worker still blocked
    // in a read ends within the DNS timeout and writes nothing more.
    private async Task RunOnWorkerThreadsAsync<T>(IReadOnlyList<T> items, int throttleLimit, Func<T, CancellationToken, Task> work, Action<T> itemDone)
    {
        var token = _stop;
        int next = -1;
        int workers = Math.Min(Math.Max(1, throttleLimit), items.Count);
        int running = workers;
        ExceptionDispatchInfo? failure = null;
        var finished = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Worker()
        {
            try
            {
                int index;
                while (!token.IsCancellationRequested && Volatile.Read(ref failure) is null && (index = Interlocked.Increment(ref next)) < items.Count)
                {
                    var item = items[index];
                    work(item, token).GetAwaiter().GetResult();
                    itemDone(item);
                }
            }
            catch (Exception ex)
            {
                // Never let an exception end a thread of ours (it would end the process). After Ctrl+C it is the
                // cancellation, or a write to the pipeline that is gone; otherwise a defect (each item reports its own
                // failures), rethrown to the pipeline while the other workers stop.
                if (!token.IsCancellationRequested) Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(ex), null);
            }
            finally
            {
                if (Interlocked.Decrement(ref running) == 0) finished.TrySetResult(true);
            }
        }
        for (int i = 0; i < workers; i++)
        {
            new Thread(Worker) { IsBackground = true, Name = "DaneTools bulk worker" }.Start();
        }
        using (token.Register(() => finished.TrySetCanceled(token)))
        {
            await finished.Task.ConfigureAwait(false);
        }
        failure?.Throw();
    }
}
