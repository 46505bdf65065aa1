# Writes aliases="..." (or "none") on every parameter of the MAML parameters sections from the built module's metadata, so
# Get-Help shows each parameter's aliases (issue 15). Run after a parameter or alias changes:
#   dotnet pwsh -File tools/Update-HelpAliases.ps1 -Module <abs path>/out/DaneTools -Maml <abs path>/en-US/DaneTools.PowerShell.dll-Help.xml
param([string] $Module, [string] $Maml)
Import-Module (Join-Path $Module 'DaneTools.psd1')
$text = Get-Content -Raw $Maml
$out = [System.Text.StringBuilder]::new()
$pos = 0
foreach ($m in [regex]::Matches($text, '(?s)<command:command\b.*?</command:command>')) {
    $null = $out.Append($text.Substring($pos, $m.Index - $pos))
    $cmd = $m.Value
    $name = [regex]::Match($cmd, '<command:name>([^<]+)</command:name>').Groups[1].Value
    $info = Get-Command $name
    $ps = [regex]::Match($cmd, '(?s)<command:parameters>.*?</command:parameters>')
    $params = [regex]::Replace($ps.Value, '<command:parameter ([^>]*?)>(\s*)<maml:name>([^<]+)</maml:name>', {
        param($x)
        $attrs = $x.Groups[1].Value -replace '\s*aliases="[^"]*"', ''
        $p = $info.Parameters[$x.Groups[3].Value]
        $aliases = if ($p -and $p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }
        "<command:parameter $attrs aliases=""$aliases"">$($x.Groups[2].Value)<maml:name>$($x.Groups[3].Value)</maml:name>"
    })
    $null = $out.Append($cmd.Substring(0, $ps.Index) + $params + $cmd.Substring($ps.Index + $ps.Length))
    $pos = $m.Index + $m.Length
}
$null = $out.Append($text.Substring($pos))
[System.IO.File]::WriteAllText($Maml, $out.ToString())
