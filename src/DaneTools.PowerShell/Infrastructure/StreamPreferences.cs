using System;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Reflection;

namespace DaneTools.PowerShell.Infrastructure;

/// <summary>
/// What -Verbose and -Debug (or the caller's preference variables) ask of one cmdlet invocation, and the warning, verbose
/// and debug writes that follow from it without a prompt that -Debug never asked for.
/// </summary>
/// <remarks>
/// PowerShell 7.4 maps -Debug to a debug preference of Continue, but a compiled cmdlet's runtime still makes its warning
/// and verbose preferences Inquire under -Debug (as Windows PowerShell did), so every WriteWarning or WriteVerbose prompts,
/// and fails in a non-interactive host ("PowerShell is in NonInteractive mode"). So under -Debug: the trace goes to the
/// debug stream unless -Verbose takes it; warnings follow the caller's $WarningPreference (the runtime's own
/// -WarningAction slot is set to it, as if the caller had written -WarningAction). A preference that is Inquire all the
/// same (the caller's $DebugPreference = 'Inquire', Windows PowerShell's -Debug) writes the line and, where the host
/// cannot ask, goes on instead of failing the command. PowerShell 7.4 also makes ShouldProcess ask under -Debug; that
/// is undone where the caller's $ConfirmPreference would not ask.
/// </remarks>
internal sealed class StreamPreferences
{
    private readonly PSCmdlet _cmdlet;
    private readonly bool _verboseMayPrompt;
    private readonly bool _debugMayPrompt;
    private readonly bool _warningMayPrompt;

    private StreamPreferences(PSCmdlet cmdlet, bool verbose, bool verboseMayPrompt, bool debug, bool debugMayPrompt, bool warningMayPrompt)
    {
        _cmdlet = cmdlet;
        Verbose = verbose;
        _verboseMayPrompt = verboseMayPrompt;
        Debug = debug;
        _debugMayPrompt = debugMayPrompt;
        _warningMayPrompt = warningMayPrompt;
    }

    /// <summary>Gets whether verbose lines are written (-Verbose, or $VerbosePreference without -Debug).</summary>
    internal bool Verbose { get; }

    /// <summary>Gets whether debug lines are written (-Debug, or $DebugPreference).</summary>
    internal bool Debug { get; }

    /// <summary>Gets whether the trace (Core's <c>subject: phase: fact</c> lines) is wanted at all, on either stream.</summary>
    internal bool Trace => Verbose || Debug;

    /// <summary>Reads the invocation's switches and preferences; under -Debug without -WarningAction, gives the runtime the
    /// caller's $WarningPreference. Call once, on the pipeline thread, before the first write.</summary>
    /// <param name="cmdlet">The cmdlet being run.</param>
    internal static StreamPreferences Of(PSCmdlet cmdlet)
    {
        var bound = cmdlet.MyInvocation.BoundParameters;
        bool? debugSwitch = Switch(cmdlet, "Debug");
        bool? verboseSwitch = Switch(cmdlet, "Verbose");
        var debugVariable = Preference(cmdlet, "DebugPreference", ActionPreference.SilentlyContinue);
        var verboseVariable = Preference(cmdlet, "VerbosePreference", ActionPreference.SilentlyContinue);
        var warningVariable = Preference(cmdlet, "WarningPreference", ActionPreference.Continue);

        bool debug = debugSwitch ?? Shows(debugVariable);
        // -Debug alone makes the runtime's verbose preference Inquire: the trace then goes to the debug stream instead.
        bool verbose = verboseSwitch ?? (debugSwitch != true && Shows(verboseVariable));
        bool warningMayPrompt;
        if (bound.TryGetValue("WarningAction", out var action)) warningMayPrompt = action is ActionPreference.Inquire;
        else if (debugSwitch == true) warningMayPrompt = !SetRuntimeWarningPreference(cmdlet, warningVariable) || warningVariable == ActionPreference.Inquire;
        else warningMayPrompt = verboseSwitch != true && warningVariable == ActionPreference.Inquire;
        if (debugSwitch == true && !bound.ContainsKey("Confirm")) KeepCallersConfirmPreference(cmdlet);
        return new StreamPreferences(cmdlet, verbose, verboseSwitch is null && verboseVariable == ActionPreference.Inquire,
            debug, debugSwitch is null && debugVariable == ActionPreference.Inquire, warningMayPrompt);
    }

    /// <summary>Writes a trace line: verbose when verbose lines are wanted, else debug when debug lines are, else nothing.
    /// Pipeline thread only.</summary>
    /// <param name="text">The line.</param>
    internal void WriteTrace(string text)
    {
        if (Verbose) Unprompted(_verboseMayPrompt, () => _cmdlet.WriteVerbose(text));
        else if (Debug) Unprompted(_debugMayPrompt, () => _cmdlet.WriteDebug(text));
    }

    /// <summary>Writes a debug line when debug lines are wanted. Pipeline thread only.</summary>
    /// <param name="text">The line.</param>
    internal void WriteDebug(string text)
    {
        if (Debug) Unprompted(_debugMayPrompt, () => _cmdlet.WriteDebug(text));
    }

    /// <summary>Writes a warning as the caller's preference says. Pipeline thread only.</summary>
    /// <param name="text">The warning.</param>
    internal void WriteWarning(string text) => Unprompted(_warningMayPrompt, () => _cmdlet.WriteWarning(text));

    // Inquire writes the line first and then asks; a host that cannot ask (-NonInteractive, or no UI) throws, and the line is
    // already out: go on. Halt (PipelineStoppedException) and Stop (ActionPreferenceStopException) still end the command.
    private static void Unprompted(bool mayPrompt, Action write)
    {
        if (!mayPrompt)
        {
            write();
            return;
        }
        try
        {
            write();
        }
        catch (Exception ex) when (ex is PSInvalidOperationException || ex is HostException)
        {
        }
    }

    private static bool? Switch(PSCmdlet cmdlet, string name) =>
        cmdlet.MyInvocation.BoundParameters.TryGetValue(name, out var value) ? LanguagePrimitives.IsTrue(value) : null;

    private static ActionPreference Preference(PSCmdlet cmdlet, string variable, ActionPreference fallback) =>
        LanguagePrimitives.TryConvertTo(cmdlet.GetVariableValue(variable), out ActionPreference preference) ? preference : fallback;

    private static bool Shows(ActionPreference preference) => preference is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);

    // PowerShell 7.4 (not 7.6) also lowers the confirm threshold to Low under -Debug, so ShouldProcess asks (and fails in a
    // non-interactive host) where the caller's $ConfirmPreference would not: then the runtime gets -Confirm:$false, what
    // that preference means for this cmdlet's ConfirmImpact. A caller whose preference asks is still asked.
    private static void KeepCallersConfirmPreference(PSCmdlet cmdlet)
    {
        var attribute = (CmdletAttribute?)Attribute.GetCustomAttribute(cmdlet.GetType(), typeof(CmdletAttribute));
        if (attribute is null || !attribute.SupportsShouldProcess) return;
        var threshold = LanguagePrimitives.TryConvertTo(cmdlet.GetVariableValue("ConfirmPreference"), out ConfirmImpact c) ? c : ConfirmImpact.High;
        if (threshold != ConfirmImpact.None && attribute.ConfirmImpact >= threshold) return;
        try
        {
            var property = cmdlet.CommandRuntime?.GetType().GetProperty("Confirm", BindingFlags.Instance | BindingFlags.NonPublic);
            if (property is null || !property.CanWrite) return;
            if (property.PropertyType == typeof(SwitchParameter)) property.SetValue(cmdlet.CommandRuntime, new SwitchParameter(false));
            else if (property.PropertyType == typeof(bool)) property.SetValue(cmdlet.CommandRuntime, false);
        }
        catch (Exception ex) when (ex is TargetInvocationException || ex is MemberAccessException || ex is ArgumentException)
        {
        }
    }

    // The runtime's WarningPreference (the -WarningAction slot) has no public setter; it has had this internal one since
    // PowerShell 1. Without it (a future runtime), warnings may prompt and Unprompted keeps a non-interactive host going.
    private static bool SetRuntimeWarningPreference(PSCmdlet cmdlet, ActionPreference preference)
    {
        try
        {
            var property = cmdlet.CommandRuntime?.GetType().GetProperty("WarningPreference", BindingFlags.Instance | BindingFlags.NonPublic);
            if (property is null || !property.CanWrite || property.PropertyType != typeof(ActionPreference)) return false;
            property.SetValue(cmdlet.CommandRuntime, preference);
            return true;
        }
        catch (Exception ex) when (ex is TargetInvocationException || ex is MemberAccessException || ex is ArgumentException)
        {
            return false;
        }
    }
}
