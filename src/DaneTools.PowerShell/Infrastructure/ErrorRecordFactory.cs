using System;
using System.Management.Automation;

namespace DaneTools.PowerShell.Infrastructure;

/// <summary>Builds the ErrorRecords of DaneTools: id from <see cref="ErrorIds"/>, precise category, the input as target.</summary>
public static class ErrorRecordFactory
{
    /// <summary>Creates an ErrorRecord.</summary>
    /// <param name="exception">The typed exception that explains the failure.</param>
    /// <param name="errorId">One of the <see cref="ErrorIds"/> constants.</param>
    /// <param name="category">The category.</param>
    /// <param name="target">The input being processed (domain, host, file).</param>
    /// <param name="recommendedAction">What the user can do, or null.</param>
    /// <returns>The record.</returns>
    public static ErrorRecord Create(Exception exception, string errorId, ErrorCategory category, object? target,
        string? recommendedAction = null)
    {
        var record = new ErrorRecord(exception, errorId, category, target);
        if (!string.IsNullOrEmpty(recommendedAction))
        {
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = recommendedAction };
        }
        return record;
    }
}
