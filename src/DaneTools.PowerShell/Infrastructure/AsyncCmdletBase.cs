using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace DaneTools.PowerShell.Infrastructure;

/// <summary>
/// The async bridge, base of every DaneTools cmdlet: runs the async Core work off the pipeline thread and marshals every
/// Write* call back to it, and cancels everything in flight on Ctrl+C (StopProcessing).
/// </summary>
/// <remarks>
/// PowerShell allows Write* only on the pipeline thread, while Core is async. Each stage runs its async body on a
/// task and drains a queue of pending writes on the calling thread until the body completes.
/// </remarks>
public abstract class AsyncCmdletBase : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new CancellationTokenSource();
    private BlockingCollection<Action>? _pending;
    private int _pipelineThreadId;

    /// <summary>Gets the token cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken StopToken => _stop.Token;

    /// <summary>Runs before the first input; override for set-up that may await.</summary>
    protected virtual Task BeginProcessingAsync() => Task.CompletedTask;

    /// <summary>Runs once per input.</summary>
    protected virtual Task ProcessRecordAsync() => Task.CompletedTask;

    /// <summary>Runs after the last input (where bulk cmdlets do their collected work).</summary>
    protected virtual Task EndProcessingAsync() => Task.CompletedTask;

    private StreamPreferences? _streams;

    /// <summary>Gets whether -Verbose or -Debug (or their preference variables) asks for the trace: Core's trace is passed only
    /// then. It is written as verbose lines, or as debug lines under -Debug without -Verbose (<see cref="StreamPreferences"/>).</summary>
    protected bool TraceEnabled => _streams?.Trace ?? false;

    /// <inheritdoc/>
    protected sealed override void BeginProcessing()
    {
        _streams = StreamPreferences.Of(this);
        Run(BeginProcessingAsync);
    }

    /// <inheritdoc/>
    protected sealed override void ProcessRecord() => Run(ProcessRecordAsync);

    /// <inheritdoc/>
    protected sealed override void EndProcessing() => Run(EndProcessingAsync);

    /// <inheritdoc/>
    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Writes an object from any thread.</summary>
    protected void WriteObjectSafe(object? value) => Post(() => WriteObject(value));

    /// <summary>Writes a non-terminating error from any thread.</summary>
    protected void WriteErrorSafe(ErrorRecord record) => Post(() => WriteError(record));

    /// <summary>Writes a warning from any thread, as the caller's warning preference says (never a prompt -Debug asked for).</summary>
    protected void WriteWarningSafe(string text) => Post(() => Streams.WriteWarning(text));

    /// <summary>Writes a trace line from any thread (<c>&lt;subject&gt;: &lt;phase&gt;: &lt;fact&gt;</c>): a verbose line, or a debug line
    /// under -Debug without -Verbose; nothing when <see cref="TraceEnabled"/> is false.</summary>
    /// <remarks>Under -Debug alone PowerShell gives compiled cmdlets a verbose preference of Inquire, which would prompt for
    /// every line (and fail in a non-interactive host), so the line goes to the debug stream then.</remarks>
    protected void WriteVerboseSafe(string text)
    {
        if (TraceEnabled) Post(() => Streams.WriteTrace(text));
    }

    /// <summary>Writes a debug line from any thread when debug lines are wanted (-Debug or $DebugPreference).</summary>
    protected void WriteDebugSafe(string text)
    {
        if (_streams?.Debug ?? false) Post(() => Streams.WriteDebug(text));
    }

    private StreamPreferences Streams => _streams ??= StreamPreferences.Of(this);

    /// <summary>Writes a progress record from any thread.</summary>
    protected void WriteProgressSafe(ProgressRecord record) => Post(() => WriteProgress(record));

    /// <summary>Runs an action on the pipeline thread (e.g. ShouldProcess), from any thread; it runs at once when already there.</summary>
    protected void PostToPipeline(Action action) => Post(action);

    private void Post(Action write)
    {
        var pending = _pending;
        if (pending is null || Environment.CurrentManagedThreadId == _pipelineThreadId)
        {
            write();
            return;
        }
        try
        {
            pending.Add(write);
        }
        catch (Exception ex) when (ex is InvalidOperationException || ex is ObjectDisposedException)
        {
            // The stage ended (completed adding, or gone after Ctrl+C): nothing can be written any more.
        }
    }

    private void Run(Func<Task> body)
    {
        _pipelineThreadId = Environment.CurrentManagedThreadId;
        using var pending = new BlockingCollection<Action>();
        _pending = pending;
        // The body starts on the pipeline thread (so it may use SessionState and write directly) and continues on
        // pool threads after its first await; those writes come back through the queue.
        Task task;
        try { task = body(); }
        catch (Exception ex) { task = Task.FromException(ex); }
        task.ContinueWith(_ => pending.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            foreach (var write in pending.GetConsumingEnumerable()) write();
            task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (TerminatingErrorException ex)
        {
            _stop.Cancel();
            ThrowTerminatingError(ex.ErrorRecord);
        }
        catch
        {
            // A write that throws means the pipeline ends (Select-Object -First is satisfied, a downstream error): stop
            // the work still in flight too, so no more queries or SMTP connections are made for nothing.
            _stop.Cancel();
            throw;
        }
        finally
        {
            _pending = null;
        }
    }

    /// <summary>
    /// Ends the cmdlet with a terminating error from async code on any thread (ThrowTerminatingError works only on the
    /// pipeline thread): the stage's runner catches it there and throws the record.
    /// </summary>
    /// <param name="record">The error record.</param>
    /// <exception cref="TerminatingErrorException">Always.</exception>
    protected static void ThrowTerminatingErrorAsync(ErrorRecord record) => throw new TerminatingErrorException(record);

    /// <summary>Carries a terminating error record from async code to the pipeline thread.</summary>
    protected sealed class TerminatingErrorException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="record">The error record to throw on the pipeline thread.</param>
        public TerminatingErrorException(ErrorRecord record)
            : base(record?.Exception?.Message, record?.Exception)
        {
            ErrorRecord = record ?? throw new ArgumentNullException(nameof(record));
        }

        /// <summary>Gets the error record.</summary>
        public ErrorRecord ErrorRecord { get; }
    }

    /// <summary>Releases the cancellation source.</summary>
    public void Dispose()
    {
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
