using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace DaneTools.Loader;

/// <summary>
/// The private load context of DaneTools' engine (DaneTools.Core) and everything it depends on: DnsClient, MailKit,
/// MimeKit, BouncyCastle and the newer System.* copies the module ships in its <c>Dependencies</c> folder.
/// </summary>
/// <remarks>
/// Why: PowerShell loads every module into one process. Another module that bundles an older DnsClient, MimeKit or
/// BouncyCastle loads it into the default context first, and the default context then hands that copy to us (or
/// refuses ours), so our cmdlets fail with FileLoadException or TypeInitializationException, or we break the other
/// module. Here our copies live apart: the default context never sees them, and they never see another module's.
/// This follows "Resolving PowerShell module assembly dependency conflicts" (PowerShell docs): the cmdlet assembly
/// stays in the default context and reaches the engine through <see cref="DependencyResolver"/>; the engine is the
/// bridge (one copy, loaded here, used from both sides), and only its own types and .NET's appear in the cmdlets'
/// parameters and output.
/// </remarks>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    /// <summary>The folder beside the cmdlet assembly that holds the engine and its dependencies.</summary>
    internal const string FolderName = "Dependencies";

    /// <summary>
    /// Gets the name of the subfolder of <see cref="FolderName"/> whose copies carry ReadyToRun code for this runtime,
    /// e.g. <c>net10.0-linux-x64</c>, or null off Linux x64 (the only platform build.ps1 precompiles for).
    /// </summary>
    /// <remarks>
    /// Why: ReadyToRun code is tied to a runtime's format version; .NET 10 rejects the .NET 8 code of the files in
    /// <see cref="FolderName"/> and would JIT them, so build.ps1 adds a .NET 10 copy of the same IL. A runtime without
    /// its folder (.NET 8, or a newer one) uses the files in <see cref="FolderName"/> (IL with .NET 8 code).
    /// </remarks>
    internal static string? RuntimeFolderName =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
            ? "net" + Environment.Version.Major + ".0-linux-x64"
            : null;

    private static readonly Lazy<DependencyLoadContext> s_instance = new Lazy<DependencyLoadContext>(() =>
        new DependencyLoadContext(Path.Combine(Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location)!, FolderName)));

    private readonly string _directory;
    private readonly string? _runtimeDirectory;
    private readonly Dictionary<string, string> _platform;

    private DependencyLoadContext(string directory)
        : base("DaneTools", isCollectible: false)
    {
        _directory = directory;
        string? runtimeFolder = RuntimeFolderName;
        if (runtimeFolder is not null && System.IO.Directory.Exists(Path.Combine(directory, runtimeFolder)))
            _runtimeDirectory = Path.Combine(directory, runtimeFolder);
        _platform = ReadTrustedPlatformAssemblies();
    }

    /// <summary>Gets the one context of this process (a second copy of the engine would split its types in two).</summary>
    internal static DependencyLoadContext Instance => s_instance.Value;

    /// <summary>Gets the folder this context loads from.</summary>
    internal string Directory => _directory;

    /// <inheritdoc/>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null) return null;
        string fileName = assemblyName.Name + ".dll";
        // The same IL precompiled for this runtime when the build made a copy for it; else the common copy.
        string path = _runtimeDirectory is not null && File.Exists(Path.Combine(_runtimeDirectory, fileName))
            ? Path.Combine(_runtimeDirectory, fileName)
            : Path.Combine(_directory, fileName);
        // Not ours (the runtime, System.Management.Automation): the default context's copy, shared with PowerShell.
        if (!File.Exists(path)) return null;
        // A System.* copy we ship only for older runtimes: the runtime's own when it is at least as new.
        if (IsProvidedByPlatform(assemblyName.Name, path)) return null;
        return LoadFromAssemblyPath(path);
    }

    /// <inheritdoc/>
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) => IntPtr.Zero;

    private bool IsProvidedByPlatform(string name, string shippedPath)
    {
        // Third-party assemblies never come from the default context, whatever it holds.
        if (!name.StartsWith("System.", StringComparison.Ordinal) && !name.StartsWith("Microsoft.", StringComparison.Ordinal)) return false;
        if (!_platform.TryGetValue(name, out var platformPath)) return false;
        try
        {
            return AssemblyName.GetAssemblyName(platformPath).Version >= AssemblyName.GetAssemblyName(shippedPath).Version;
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static Dictionary<string, string> ReadTrustedPlatformAssemblies()
    {
        // The runtime's and PowerShell's own assemblies (what the default context binds without help).
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
        {
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                map[Path.GetFileNameWithoutExtension(path)] = path;
        }
        return map;
    }
}

/// <summary>
/// Runs when PowerShell imports the module: lets the default context find DaneTools.Core, and only it, in
/// <see cref="DependencyLoadContext"/>.
/// </summary>
/// <remarks>
/// <para>Why a separate assembly: PowerShell reads the cmdlet assembly's types (which hold engine enums and structs, so
/// need DaneTools.Core) before it calls that assembly's initializer. This one references neither, and the manifest
/// loads it first (NestedModules), so the resolver is in place before the cmdlets are read.
/// </para><para>
/// Why only the engine: the cmdlet assembly references DaneTools.Core and nothing third-party. Once the engine is
/// loaded into the private context, that context resolves the engine's own references (DnsClient, MimeKit, ...) first,
/// so they never reach the default context and no other module's copy is ever handed to us. Answering for any other
/// name here would take it from modules that rely on the default context.</para>
/// </remarks>
public sealed class DependencyResolver : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string EngineAssemblyName = "DaneTools.Core";
    private static readonly object s_gate = new object();
    private static bool s_registered;

    /// <summary>Registers the engine resolver (once per process, however often the module is imported).</summary>
    public void OnImport() => Register();

    /// <summary>Unregisters it with the module; the engine already loaded stays usable by the objects it made.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        lock (s_gate)
        {
            if (!s_registered) return;
            AssemblyLoadContext.Default.Resolving -= ResolveEngine;
            s_registered = false;
        }
    }

    internal static void Register()
    {
        lock (s_gate)
        {
            if (s_registered) return;
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
            s_registered = true;
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name)
    {
        if (!string.Equals(name.Name, EngineAssemblyName, StringComparison.Ordinal)) return null;
        return DependencyLoadContext.Instance.LoadFromAssemblyName(name);
    }
}

