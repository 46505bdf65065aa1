# The gallery package round trip (issue 14): build.ps1 -Task Package makes the .nupkg, a temporary folder repository
# serves it, Install-PSResource installs it into a temporary CurrentUser scope, and a fresh pwsh that sees only that
# scope and the system module paths imports DaneTools by name: the version, the cmdlets, the help and (Lab) a run.
# Every PowerShell process here gets a HOME of its own (on Linux PSResourceGet's repository store and the CurrentUser
# module path both live under ~/.local/share): nothing is registered or installed in the user's own store, nothing
# leaves the machine.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:root = Get-RepositoryRoot
    $source = Import-PowerShellDataFile (Join-Path $root 'module/DaneTools.psd1')
    $script:moduleVersion = $source.ModuleVersion
    $script:prerelease = $source.PrivateData.PSData['Prerelease']
    $script:nupkgName = "DaneTools.$moduleVersion-$prerelease.nupkg"

    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) ('danetools-package-' + [guid]::NewGuid())
    $script:packageDir = Join-Path $work 'package'
    $script:home_ = Join-Path $work 'home'
    $script:dataHome = Join-Path $home_ '.local/share'
    $script:installScope = Join-Path $dataHome 'powershell/Modules'
    # A home as a user's looks: .NET gives no ApplicationData folder where ~/.config is missing, and NuGet (inside
    # PSResourceGet) then writes NuGet/NuGet.Config into the working folder.
    New-Item -ItemType Directory -Path $packageDir, (Join-Path $home_ '.config'), $dataHome | Out-Null
    # The fresh session's module path: the temporary scope, then only the system paths (no user or repository module).
    $script:modulePath = @($installScope, (Join-Path $PSHOME 'Modules'), '/usr/local/share/powershell/Modules') -join [System.IO.Path]::PathSeparator
    $script:childEnvironment = @('-u', 'XDG_DATA_HOME', '-u', 'XDG_CACHE_HOME', '-u', 'XDG_CONFIG_HOME', "HOME=$home_", "PSModulePath=$modulePath",
        'POWERSHELL_UPDATECHECK=Off', 'POWERSHELL_TELEMETRY_OPTOUT=1')

    function script:Invoke-IsolatedPwsh {
        # Runs a script (or, with -File, a script file and its arguments) in a new pwsh of this version with the
        # environment above, in the lab's network namespace with -Namespace. Returns the exit code, what it printed and
        # (for -Script) what it returned as JSON data.
        param([string] $Script, [string] $File, [string[]] $Arguments = @(), [string] $Namespace)
        $exe = [Environment]::ProcessPath
        $pre = @()
        if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $pre = @(Join-Path $PSHOME 'pwsh.dll') }
        $out = $null
        if ($Script) {
            $File = Join-Path $work ('script-' + [guid]::NewGuid() + '.ps1')
            $out = "$File.json"
            Set-Content -Path $File -Value @"
`$ErrorActionPreference = 'Stop'
`$result = & { $Script }
ConvertTo-Json -InputObject @(`$result) -Depth 6 -EnumsAsStrings | Set-Content -Path '$out'
"@
        }
        $command = @('env') + $childEnvironment + @($exe) + $pre + @('-NoProfile', '-NonInteractive', '-File', $File) + $Arguments
        if ($Namespace) { $command = @('ip', 'netns', 'exec', $Namespace) + $command }
        Push-Location $work
        try { $log = & $command[0] $command[1..($command.Count - 1)] 2>&1 }
        finally { Pop-Location }
        [pscustomobject]@{
            ExitCode = $LASTEXITCODE
            Output   = ($log -join [Environment]::NewLine)
            Result   = $(if ($out -and (Test-Path $out)) { Get-Content -Raw $out | ConvertFrom-Json })
        }
    }

    # 1. The Package task, as a user runs it, into a folder of ours (its temporary repository lands in our store).
    $script:package = Invoke-IsolatedPwsh -File (Join-Path $root 'build.ps1') -Arguments @('-Task', 'Package', '-PackageOutput', $packageDir)

    # 2. A temporary folder repository serving that folder; Install-PSResource into the temporary CurrentUser scope.
    $script:install = Invoke-IsolatedPwsh -Script @"
`$before = @(Get-PSResourceRepository | ForEach-Object Name)
Register-PSResourceRepository -Name DaneToolsPackageTest -Uri '$packageDir' -Trusted
try {
    `$found = Find-PSResource DaneTools -Repository DaneToolsPackageTest -Prerelease
    Install-PSResource DaneTools -Repository DaneToolsPackageTest -Prerelease -TrustRepository -Scope CurrentUser -Quiet
}
finally { Unregister-PSResourceRepository -Name DaneToolsPackageTest }
`$installed = @(Get-InstalledPSResource DaneTools -Scope CurrentUser)
[pscustomobject]@{
    RepositoriesBefore = `$before
    RepositoriesAfter  = @(Get-PSResourceRepository | ForEach-Object Name)
    Found              = "`$(`$found.Name) `$(`$found.Version) `$(`$found.Prerelease)"
    Installed          = @(`$installed | ForEach-Object { [pscustomobject]@{ Name = `$_.Name; Version = "`$(`$_.Version)"; Prerelease = `$_.Prerelease; Location = `$_.InstalledLocation } })
}
"@

    # 3. A fresh pwsh: DaneTools by name, from the temporary scope only.
    $script:fresh = Invoke-IsolatedPwsh -Script @'
Import-Module DaneTools
$module = Get-Module DaneTools
$help = Get-Help Test-DaneDomain
[pscustomobject]@{
    ModulePath  = $env:PSModulePath -split [System.IO.Path]::PathSeparator
    Available   = @(Get-Module -ListAvailable DaneTools | ForEach-Object ModuleBase)
    ModuleBase  = $module.ModuleBase
    Version     = "$($module.Version)"
    Prerelease  = $module.PrivateData.PSData.Prerelease
    Commands    = @(Get-Command -Module DaneTools | ForEach-Object { "$($_.CommandType) $($_.Name)" } | Sort-Object)
    Synopsis    = "$($help.Synopsis)".Trim()
    Examples    = @($help.examples.example).Count
}
'@
}

AfterAll {
    # The repositories were registered in the temporary store only (and unregistered): removing it removes every trace.
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

Describe 'DaneTools package round trip' -Tag Unit {
    It 'build.ps1 -Task Package writes the gallery package, DaneTools.(version)-(prerelease).nupkg' {
        $package.ExitCode | Should -Be 0 -Because $package.Output
        $prerelease | Should -Not -BeNullOrEmpty -Because 'the version is a prerelease while below 1.0'
        @(Get-ChildItem $packageDir | ForEach-Object Name) | Should -Be @($nupkgName)
    }

    It 'packs the module as a gallery takes it: manifest, loader, cmdlets, engine and help, metadata from the manifest' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead((Join-Path $packageDir $nupkgName))
        try {
            $entries = @($zip.Entries | ForEach-Object FullName)
            foreach ($file in 'DaneTools.nuspec', 'DaneTools.psd1', 'DaneTools.PowerShell.dll', 'DaneTools.Loader.dll', 'DaneTools.Format.ps1xml',
                'DaneTools.Types.ps1xml', 'Dependencies/DaneTools.Core.dll', 'Dependencies/DnsClient.dll', 'Dependencies/MailKit.dll',
                'en-US/DaneTools.PowerShell.dll-Help.xml', 'en-US/about_DaneTools.help.txt') {
                $entries | Should -Contain $file
            }
            $entries | Where-Object { $_ -like 'System.Management.Automation*' } | Should -BeNullOrEmpty
            $reader = [System.IO.StreamReader]::new($zip.GetEntry('DaneTools.nuspec').Open())
            try { $nuspec = [xml]$reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
        $nuspec.package.metadata.id | Should -Be 'DaneTools'
        $nuspec.package.metadata.version | Should -Be "$moduleVersion-$prerelease"
        $nuspec.package.metadata.tags -split ' ' | Should -Contain 'PSModule'
        $nuspec.package.metadata.tags -split ' ' | Should -Contain 'DANE'
    }

    It 'leaves no repository registered' {
        # The Package task registered its temporary repository in this store (the file exists) and took it away again.
        Join-Path $dataHome 'PSResourceGet/PSResourceRepository.xml' | Should -Exist
        $install.ExitCode | Should -Be 0 -Because $install.Output
        @($install.Result.RepositoriesBefore) | Should -Be @('PSGallery')
        @($install.Result.RepositoriesAfter) | Should -Be @('PSGallery')
    }

    It 'installs from a folder repository with Install-PSResource -Prerelease into the CurrentUser scope' {
        $install.ExitCode | Should -Be 0 -Because $install.Output
        $install.Result.Found | Should -Be "DaneTools $moduleVersion $prerelease"
        @($install.Result.Installed).Count | Should -Be 1
        $install.Result.Installed[0].Version | Should -Be $moduleVersion
        $install.Result.Installed[0].Prerelease | Should -Be $prerelease
        $install.Result.Installed[0].Location | Should -BeLike "$installScope*" -Because 'the CurrentUser scope is the temporary HOME''s'
        Join-Path $installScope "DaneTools/$moduleVersion/DaneTools.psd1" | Should -Exist
    }

    It 'imports by name in a fresh pwsh that sees only the installed copy' {
        $fresh.ExitCode | Should -Be 0 -Because $fresh.Output
        @($fresh.Result.ModulePath) | Should -Not -Contain (Join-Path $root 'out')
        @($fresh.Result.Available) | Should -Be @((Join-Path $installScope "DaneTools/$moduleVersion"))
        $fresh.Result.ModuleBase | Should -Be (Join-Path $installScope "DaneTools/$moduleVersion")
    }

    It 'has the package''s version' {
        $fresh.Result.Version | Should -Be $moduleVersion
        $fresh.Result.Prerelease | Should -Be $prerelease
    }

    It 'lists the 7 cmdlets' {
        @($fresh.Result.Commands) | Should -Be @('Cmdlet ConvertFrom-TlsRptReport', 'Cmdlet Get-TlsaRecord', 'Cmdlet New-TlsaRecord', 'Cmdlet New-TlsRptReport', 'Cmdlet Send-DaneMail', 'Cmdlet Test-DaneDomain', 'Cmdlet Test-DnssecChain')
    }

    It 'has its help: Get-Help Test-DaneDomain gives a synopsis and examples' {
        $fresh.Result.Synopsis | Should -Not -BeNullOrEmpty
        $fresh.Result.Synopsis | Should -Not -Match '^Test-DaneDomain \[' -Because 'without the help file Get-Help shows only the syntax'
        $fresh.Result.Examples | Should -BeGreaterThan 0
    }
}

Describe 'DaneTools package on the lab' -Tag Lab {
    # The installed package does the main job: Test-DaneDomain from a fresh pwsh inside the lab's namespace (DANELAB_NS).
    BeforeAll {
        $script:lab = Start-DaneLab
        $script:ns = if ($env:DANELAB_NS) { $env:DANELAB_NS } else { 'danelab' }
        $script:labRun = Invoke-IsolatedPwsh -Namespace $ns -Script @"
Import-Module DaneTools
`$r = Test-DaneDomain ee311.test -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3
[pscustomobject]@{ ModuleBase = (Get-Module DaneTools).ModuleBase; Domain = `$r.DomainName; Status = "`$(`$r.Status)" }
"@
    }

    It 'Test-DaneDomain ee311.test gives Pass with the installed module' {
        $labRun.ExitCode | Should -Be 0 -Because $labRun.Output
        $labRun.Result.ModuleBase | Should -Be (Join-Path $installScope "DaneTools/$moduleVersion")
        $labRun.Result.Domain | Should -Be 'ee311.test'
        $labRun.Result.Status | Should -Be 'Pass'
    }
}
