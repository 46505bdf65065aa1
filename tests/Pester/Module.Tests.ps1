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
