BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:module = Import-DaneToolsModule
    $script:commands = @(Get-Command -Module DaneTools | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:module = Import-DaneToolsModule
    $script:formatXml = [xml](Get-Content -Raw (Join-Path $module.ModuleBase 'DaneTools.Format.ps1xml'))
    $script:viewTypes = @($formatXml.Configuration.ViewDefinitions.View.ViewSelectedBy.TypeName)
    $script:commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters +
        [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'DaneTools module' -Tag Unit {
    It 'has a valid manifest' {
        $manifest = Test-ModuleManifest -Path (Join-Path $module.ModuleBase 'DaneTools.psd1') -ErrorAction Stop
        $manifest.Name | Should -Be 'DaneTools'
        $manifest.CompatiblePSEditions | Should -Contain 'Core'
    }

    It 'exports exactly the cmdlets its assembly defines' {
        $assembly = [System.Reflection.Assembly]::LoadFrom((Join-Path $module.ModuleBase 'DaneTools.PowerShell.dll'))
        $defined = $assembly.GetExportedTypes() |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { "$($_.VerbName)-$($_.NounName)" } | Sort-Object
        $exported = (Get-Command -Module DaneTools -CommandType Cmdlet).Name | Sort-Object
        $exported | Should -Not -BeNullOrEmpty
        $exported | Should -Be $defined
    }

    It 'ships no System.Management.Automation assembly' {
        Get-ChildItem $module.ModuleBase -Recurse -Filter 'System.Management.Automation*.dll' | Should -BeNullOrEmpty
    }

    It 'gives Get-Help -Online the RFC link for every cmdlet (a stand-in xdg-open records what it would open)' {
        # Linux PowerShell hands the URI to xdg-open; a stand-in first on PATH records it, so no browser starts.
        if (-not $IsLinux) { return }
        $bin = Join-Path $TestDrive 'bin'
        New-Item -ItemType Directory -Path $bin | Out-Null
        $log = Join-Path $TestDrive 'opened.txt'
        Set-Content -Path (Join-Path $bin 'xdg-open') -Value "#!/bin/sh`nprintf '%s\n' `"`$1`" >> '$log'`n"
        & chmod +x (Join-Path $bin 'xdg-open')
        $names = @(Get-Command -Module DaneTools).Name
        $path = $env:PATH
        try {
            $env:PATH = "$bin$([System.IO.Path]::PathSeparator)$path"
            $r = Invoke-FreshPwsh @"
Import-Module '$($module.ModuleBase)/DaneTools.psd1'
foreach (`$n in '$($names -join "','")') { try { Get-Help `$n -Online; "`$n ok" } catch { "`$n failed: `$(`$_.Exception.Message)" } }
"@
        }
        finally { $env:PATH = $path }
        $r.Result | Should -Be @($names | ForEach-Object { "$_ ok" })
        # The stand-in runs beside Get-Help: wait for its lines (Get-Help does not wait for the browser).
        for ($i = 0; $i -lt 50 -and @(Get-Content $log -ErrorAction Ignore).Count -lt $names.Count; $i++) { Start-Sleep -Milliseconds 100 }
        $opened = @(Get-Content $log)
        $opened.Count | Should -Be $names.Count
        foreach ($u in $opened) { $u | Should -Match '^https://www\.rfc-editor\.org/rfc/rfc\d+' }
        $expected = @($names | ForEach-Object { [string]@((Get-Help $_).relatedLinks.navigationLink)[0].uri } | Sort-Object)
        @($opened | Sort-Object) | Should -Be $expected
    }

    It 'has the about_DaneTools topic' {
        $about = Get-Content -Raw (Join-Path $module.ModuleBase 'en-US/about_DaneTools.help.txt')
        $about | Should -Match 'SHORT DESCRIPTION'
        $ids = [DaneTools.PowerShell.Infrastructure.ErrorIds].GetFields() | ForEach-Object Name
        foreach ($id in $ids) { $about | Should -Match "\b$id\b" -Because "about_DaneTools documents every error id" }
    }
}

Describe '<Name> help and views' -Tag Unit -ForEach $commands {
    BeforeAll {
        $script:command = Get-Command $Name
        $script:help = Get-Help $Name -Full
    }

    It 'has a synopsis and a description' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name\s" -Because 'an auto-generated synopsis is the syntax line'
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $parameters = $command.Parameters.Keys | Where-Object { $_ -notin $commonParameters }
        foreach ($parameter in $parameters) {
            $entry = $help.Parameters.Parameter | Where-Object Name -EQ $parameter
            $entry | Should -Not -BeNullOrEmpty -Because "parameter $parameter needs help"
            ($entry.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "parameter $parameter needs a description"
        }
    }

    It 'shows one syntax per parameter set, as Get-Command -Syntax does' {
        # tools/Update-HelpSyntax.ps1 writes these from the built module.
        $expected = @($command.ParameterSets | ForEach-Object { (@($_.Parameters.Name | Where-Object { $_ -notin $commonParameters }) | Sort-Object) -join ',' } | Sort-Object)
        $shown = @($help.Syntax.SyntaxItem | ForEach-Object { (@($_.Parameter.Name) | Sort-Object) -join ',' } | Sort-Object)
        $shown | Should -Be $expected
    }

    It 'has an online link: its first related link is the RFC it implements, an absolute https URI' {
        # Get-Help -Online opens the first related link that has a URI (then the cmdlet's HelpUri); with neither it fails.
        # There is no hosted help site: each cmdlet links the RFC whose rules it applies.
        $expected = @{
            'Test-DaneDomain' = 'rfc7672'; 'Send-DaneMail' = 'rfc7672'; 'Test-DaneInboundReadiness' = 'rfc7672'
            'Get-TlsaRecord' = 'rfc7672#section-2.2.3'; 'New-TlsaRecord' = 'rfc7671'; 'Test-DnssecChain' = 'rfc4035'
            'Get-MtaStsPolicy' = 'rfc8461'; 'ConvertFrom-TlsRptReport' = 'rfc8460'; 'New-TlsRptReport' = 'rfc8460'
            'Export-DaneReport' = 'rfc7671#section-8.1'
        }
        $expected.Keys | Should -Contain $Name -Because 'every cmdlet needs an online link'
        $first = @($help.relatedLinks.navigationLink)[0]
        $uri = $null
        [uri]::TryCreate([string]$first.uri, [UriKind]::Absolute, [ref]$uri) | Should -BeTrue -Because "the first related link of $Name needs an absolute URI"
        $uri.Scheme | Should -Be 'https'
        $uri.AbsoluteUri | Should -Be "https://www.rfc-editor.org/rfc/$($expected[$Name])"
        $first.linkText | Should -Match ('^RFC ' + ($expected[$Name] -replace '^rfc(\d+).*', '$1') + '\b')
    }

    It 'has at least two examples' {
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
    }

    It 'declares its output types and takes no third-party type' {
        $command.OutputType | Should -Not -BeNullOrEmpty
        $thirdParty = '^(MailKit|MimeKit|DnsClient|Org\.BouncyCastle)\.'
        foreach ($parameter in $command.Parameters.Values) {
            $parameter.ParameterType.FullName | Should -Not -Match $thirdParty -Because "parameter $($parameter.Name) must take BCL or DaneTools types"
        }
        foreach ($type in $command.OutputType) { $type.Name | Should -Not -Match $thirdParty }
    }

    It 'has a pipeline-bound parameter in every parameter set' {
        if ($Name -eq 'Send-DaneMail') { return }  # Send-MailMessage parity (STYLE.md 6.2)
        foreach ($set in $command.ParameterSets) {
            $bound = $set.Parameters | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName }
            $bound | Should -Not -BeNullOrEmpty -Because "parameter set $($set.Name) needs pipeline input"
        }
    }

    It 'has a view for every output type, live and deserialized' {
        $outputTypes = @($command.OutputType.Name)
        $outputTypes | Should -Not -BeNullOrEmpty
        foreach ($type in $outputTypes) {
            if ($type -in 'System.Boolean', 'System.String', 'System.IO.FileInfo') { continue }  # PowerShell's own views
            $viewTypes | Should -Contain $type
            $viewTypes | Should -Contain "Deserialized.$type"
        }
    }
}
