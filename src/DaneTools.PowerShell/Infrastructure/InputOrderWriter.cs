using System;
using System.Collections.Generic;

namespace DaneTools.PowerShell.Infrastructure;

/// <summary>
/// Writes the results of a concurrent <see cref="BulkRunner"/> run in input order (-PreserveOrder): a result that finishes
/// before an earlier item's waits here; results whose turn has come are written at once. Memory holds only the results
/// that finished out of order. Thread-safe.
/// </summary>
internal sealed class InputOrderWriter
{
    private readonly Action<object> _write;
    private readonly Dictionary<int, object?> _early = new();
    private int _next;

    /// <param name="write">Writes one result to the pipeline (called under this writer's lock, in input order).</param>
    public InputOrderWriter(Action<object> write) => _write = write;

    /// <summary>Records that the item at <paramref name="index"/> (0-based input position) is done, with its result or null for none,
    /// and writes every result whose earlier items are all done.</summary>
    public void Done(int index, object? result)
    {
        lock (_early)
        {
            _early[index] = result;
            while (_early.TryGetValue(_next, out var ready))
            {
                _early.Remove(_next++);
                if (ready is not null) _write(ready);
            }
        }
    }
}
