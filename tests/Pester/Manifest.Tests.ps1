# The manifest promises only what ships and is tested (issue 14): PowerShell 7.4+ (Core), a licence in the
# repository, gallery metadata, a prerelease version while < 1.0, and no third-party assembly loaded by PowerShell.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:module = Import-DaneToolsModule
    $script:root = Get-RepositoryRoot
    $script:manifest = Test-ModuleManifest -Path (Join-Path $module.ModuleBase 'DaneTools.psd1') -ErrorAction Stop
    $script:data = Import-PowerShellDataFile (Join-Path $module.ModuleBase 'DaneTools.psd1')
    $script:psData = $data.PrivateData.PSData
}

Describe 'DaneTools manifest' -Tag Unit {
    It 'passes Test-ModuleManifest on the built module' {
        $manifest.Name | Should -Be 'DaneTools'
        $manifest.RootModule | Should -Be 'DaneTools.PowerShell.dll'
    }

    It 'claims PowerShell 7.4 (Core) only: the net8.0 build is the only one shipped' {
        $manifest.PowerShellVersion | Should -Be ([version]'7.4')
        @($manifest.CompatiblePSEditions) | Should -Be @('Core')
        foreach ($assembly in (Get-Command Test-DaneDomain).ImplementingType.Assembly, (Get-Command Send-DaneMail).Parameters['DaneMode'].ParameterType.Assembly) {
            $assembly.GetCustomAttributes([System.Runtime.Versioning.TargetFrameworkAttribute], $false).FrameworkName | Should -Be '.NETCoreApp,Version=v8.0'
        }
    }

    It 'names its author and describes itself' {
        $manifest.Author | Should -Be 'DaneTools developers'
        $manifest.Description | Should -Match 'DANE'
        $manifest.Description.Length | Should -BeGreaterThan 100
        $manifest.Copyright | Should -Match 'MIT'
    }

    It 'has a semantic version with a prerelease tag while below 1.0' {
        $manifest.Version | Should -BeLessThan ([version]'1.0')
        $manifest.Version.Revision | Should -Be -1 -Because 'a semantic version has three parts'
        $psData.Prerelease | Should -Match '^[A-Za-z][0-9A-Za-z]*$' -Because 'the gallery takes letters and digits only'
        # The assemblies carry the same version (Directory.Build.props).
        $informational = (Get-Command Test-DaneDomain).ImplementingType.Assembly.GetCustomAttributes([System.Reflection.AssemblyInformationalVersionAttribute], $false).InformationalVersion
        $informational | Should -BeLike "$($manifest.Version)-$($psData.Prerelease)*"
    }

    It 'ships an MIT licence in the repository and links it' {
        $licence = Join-Path $root 'LICENSE'
        $licence | Should -Exist
        Get-Content -Raw $licence | Should -Match '^MIT License'
        $manifest.LicenseUri.AbsoluteUri | Should -Be "$($manifest.ProjectUri.AbsoluteUri)/blob/main/LICENSE"
        $manifest.ProjectUri.Scheme | Should -Be 'https'
        $manifest.ProjectUri.Host | Should -Not -Match 'example|invalid|localhost'
    }

    It 'has release notes for this version' {
        $manifest.ReleaseNotes | Should -Match ([regex]::Escape("$($manifest.Version)-$($psData.Prerelease)"))
    }

    It 'has the gallery tags' {
        foreach ($tag in 'DANE', 'DNSSEC', 'MTA-STS', 'TLSRPT', 'ExchangeOnline', 'SMTP', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS') {
            $manifest.Tags | Should -Contain $tag
        }
    }

    It 'lists no assembly in RequiredAssemblies: its dependencies load into its own context, not the default one' {
        $data.Keys | Should -Not -Contain 'RequiredAssemblies'
        $manifest.RequiredAssemblies | Should -BeNullOrEmpty
        @($data.NestedModules) | Should -Be @('DaneTools.Loader.dll')
        # Beside the manifest only the loader and the cmdlets; the rest in Dependencies/.
        (Get-ChildItem $module.ModuleBase -Filter '*.dll').Name | Sort-Object | Should -Be @('DaneTools.Loader.dll', 'DaneTools.PowerShell.dll')
        (Get-ChildItem (Join-Path $module.ModuleBase 'Dependencies') -Filter '*.dll').Name | Should -Contain 'DaneTools.Core.dll'
    }

    It 'ships ReadyToRun code in the format each runtime accepts: .NET 8''s in Dependencies/ and beside the manifest, .NET 10''s in Dependencies/net10.0-linux-x64' {
        # dotnet/runtime src/coreclr/inc/readytorun.h, READYTORUN_SIGNATURE 0x00525452 ('RTR'). .NET 8's:
        # READYTORUN_MAJOR_VERSION 9 (9.1), MINIMUM_READYTORUN_MAJOR_VERSION 9. .NET 10's: 16 and 16 ("R2R 16 is not
        # backward compatible with 15.x or earlier"; 17 came after, for .NET 11). A runtime uses an image only if
        # minimum <= major <= its own major, so each folder must hold exactly its runtime's major.
        $base = Join-Path $module.ModuleBase 'Dependencies'
        $net10 = Join-Path $base 'net10.0-linux-x64'
        $common = @(Get-ChildItem $base -Filter '*.dll') + @(Get-ChildItem $module.ModuleBase -Filter '*.dll')
        $common.Count | Should -BeGreaterThan 2
        foreach ($file in $common) {
            $info = Get-ReadyToRunInfo $file.FullName
            $info.Signature | Should -Be 0x00525452 -Because "$($file.Name) carries ReadyToRun code"
            $info.Major | Should -Be 9 -Because "$($file.Name) is for .NET 8 (PowerShell 7.4)"
        }
        Test-Path $net10 | Should -BeTrue
        $copies = @(Get-ChildItem $net10 -Filter '*.dll')
        # Every engine or third-party assembly has its .NET 10 copy (System.* ones come from .NET 10 itself there).
        $copies.Name | Sort-Object | Should -Be @(Get-ChildItem $base -Filter '*.dll' | Where-Object Name -NotLike 'System.*' | ForEach-Object Name | Sort-Object)
        foreach ($file in $copies) {
            $info = Get-ReadyToRunInfo $file.FullName
            $info.Signature | Should -Be 0x00525452 -Because "$($file.Name) carries ReadyToRun code"
            $info.Major | Should -Be 16 -Because "$($file.Name) is for .NET 10 (PowerShell 7.6)"
            $info.Mvid | Should -Be (Get-ReadyToRunInfo (Join-Path $base $file.Name)).Mvid -Because "$($file.Name) is the same IL as the common copy"
        }
    }

    It 'says in the README support matrix what is tested' {
        $readme = Get-Content -Raw (Join-Path $root 'README.md')
        $readme | Should -Match '(?s)## Support matrix.*7\.4'
        $readme | Should -Match "(?s)## Support matrix.*$([regex]::Escape($PSVersionTable.PSVersion.ToString()))" -Because 'the version this suite runs on is named as tested'
        $readme | Should -Match '(?s)## Support matrix.*Windows PowerShell 5\.1.*not supported'
    }
}
