#requires -Version 7.4
<#
.SYNOPSIS
    Rewrites the <command:syntax> block of every cmdlet in en-US/DaneTools.PowerShell.dll-Help.xml from the built
    module's parameter sets, one syntax item per set (default set first), so Get-Help shows what Get-Command -Syntax
    shows. Descriptions, parameters and examples are hand-written and left alone.
.EXAMPLE
    dotnet pwsh -NoProfile -File tools/Update-HelpSyntax.ps1    # after build.ps1 -Task Build
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/DaneTools/DaneTools.psd1'),
    [string] $HelpPath = (Join-Path $PSScriptRoot '../en-US/DaneTools.PowerShell.dll-Help.xml')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$module = Import-Module $ModulePath -Force -PassThru
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

$text = [System.IO.File]::ReadAllText((Resolve-Path $HelpPath).Path)
# Only the syntax blocks are rewritten, as text, so the hand-written rest of the file keeps its layout.
$chunks = $text -split '(?<=</command:command>)'
$out = foreach ($chunk in $chunks) {
    if ($chunk -notmatch '<command:name>([^<]+)</command:name>') { $chunk; continue }
    $name = $Matches[1]
    $info = Get-Command -Module $module.Name -Name $name
    $sb = [System.Text.StringBuilder]::new()
    $null = $sb.AppendLine('<command:syntax>')
    foreach ($set in @($info.ParameterSets | Sort-Object { -not $_.IsDefault })) {
        $null = $sb.AppendLine('      <command:syntaxItem>')
        $null = $sb.AppendLine("        <maml:name>$name</maml:name>")
        $ordered = @($set.Parameters | Where-Object { $_.Name -notin $common } |
            Sort-Object @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } } }, @{ Expression = { -not $_.IsMandatory } })
        foreach ($p in $ordered) {
            $pipeline = @(if ($p.ValueFromPipeline) { 'ByValue' }; if ($p.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
            $pipelineText = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
            $position = if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' }
            # Globbing as the parameter's own entry in <command:parameters> says.
            $globbing = if ($chunk -match "(?s)globbing=""(true|false)""[^>]*>\s*<maml:name>$([regex]::Escape($p.Name))</maml:name>") { $Matches[1] } else { 'false' }
            $null = $sb.AppendLine("        <command:parameter required=""$("$($p.IsMandatory)".ToLowerInvariant())"" position=""$position"" pipelineInput=""$pipelineText"" globbing=""$globbing"">")
            $null = $sb.AppendLine("          <maml:name>$($p.Name)</maml:name>")
            if ($p.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                # Nullable<DateTime> shows as DateTime (issue 15: SYNTAX read Nullable`1).
                $type = $p.ParameterType
                if ([Nullable]::GetUnderlyingType($type)) { $type = [Nullable]::GetUnderlyingType($type) }
                $null = $sb.AppendLine("          <command:parameterValue required=""true"">$($type.Name)</command:parameterValue>")
            }
            $null = $sb.AppendLine('        </command:parameter>')
        }
        $null = $sb.AppendLine('      </command:syntaxItem>')
    }
    $null = $sb.Append('    </command:syntax>')
    $chunk -replace '(?s)<command:syntax>.*?</command:syntax>', $sb.ToString().Replace('$', '$$')
}
[System.IO.File]::WriteAllText((Resolve-Path $HelpPath).Path, ($out -join ''), [System.Text.UTF8Encoding]::new($false))
Write-Host "Syntax of $(@($chunks | Where-Object { $_ -match '<command:syntax>' }).Count) cmdlets rewritten in $HelpPath"
