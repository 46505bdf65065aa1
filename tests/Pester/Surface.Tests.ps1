# The smaller defects an administrator meets at the surface (issue 15 item 7): inputs named by their real cause, long
# inputs cut, -HeloName refused in words, -Type completion, TLSA numbers accepted. Offline: a resolver that never answers.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    $script:silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $script:dns = @{ Server = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"; TimeoutSeconds = 1 }
    function script:ErrorsOf([scriptblock] $Command) {
        $errs = @()
        try { & $Command -ErrorAction SilentlyContinue -ErrorVariable +errs -WarningAction SilentlyContinue | Out-Null } catch { $errs += $_ }
        @($errs)
    }
}

AfterAll { $silent.Dispose() }

Describe 'Input messages name the real cause' -Tag Unit {
    It '<Cmd>: <What> gets its own message' -TestCases @(
        foreach ($cmd in 'Test-DaneDomain', 'Get-TlsaRecord') {
            @{ Cmd = $cmd; What = 'an IPv4 address'; Value = '192.0.2.25'; Expected = 'is an IPv4 address, not a domain name' }
            @{ Cmd = $cmd; What = 'an IPv6 literal'; Value = '2001:db8::25'; Expected = 'is an IPv6 address, not a domain name' }
            @{ Cmd = $cmd; What = 'a 64-octet label'; Value = ('a' * 64) + '.example.com'; Expected = 'is 64 octets long; a DNS label holds at most 63' }
            @{ Cmd = $cmd; What = 'a 300-octet name'; Value = ((('a' * 59) + '.') * 5) + ('b' * 5); Expected = 'the name is 305 octets long; a DNS name holds at most 253' }
            @{ Cmd = $cmd; What = 'invalid Punycode'; Value = 'xn--zz.example.com'; Expected = "the label 'xn--zz' is not valid Punycode" }
        }
    ) {
        $errs = ErrorsOf { & $Cmd -DomainName $Value @dns }
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike "InvalidDomainName,*"
        $errs[0].Exception.Message | Should -Match ([regex]::Escape($Expected))
    }

    It 'cuts a 100,000-character input in the message (the error target keeps it whole)' {
        $long = 'x' * 100000
        $errs = ErrorsOf { Test-DaneDomain -DomainName $long @dns }
        $errs.Count | Should -Be 1
        $errs[0].Exception.Message.Length | Should -BeLessThan 600
        $errs[0].Exception.Message | Should -Match '\.\.\. \(100,000 characters\)'
        $errs[0].TargetObject.Length | Should -Be 100000
    }

    It 'names a piped object without a usable property by its property names, not as @{...}' {
        $errs = ErrorsOf { [pscustomobject]@{ Identity = 'x'; Notes = 'y' } | Test-DaneDomain @dns }
        $errs.Count | Should -Be 1
        $errs[0].Exception.Message | Should -Match '^The piped object is not a domain name: it has no DomainName, RecipientAddress, ExternalEmailAddress or PrimarySmtpAddress property \(its properties: Identity, Notes\)'
        $errs[0].Exception.Message | Should -Not -Match "'@\{"
    }
}

Describe 'EHLO name' -Tag Unit {
    It '<Cmd> refuses a bad -HeloName in words, not with a regular expression' -TestCases @(
        @{ Cmd = 'Test-DaneDomain'; Args = @{ DomainName = 'example.com' } },
        @{ Cmd = 'Send-DaneMail'; Args = @{ From = 'a@example.com'; To = 'b@example.com'; Subject = 's'; Body = 'b' } }) {
        $err = $null
        try { & $Cmd @Args -HeloName "mail.example.com`r`nRCPT TO:<x@y>" @dns -WhatIf:$false -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.Exception.Message | Should -Match 'is not an EHLO name: give this machine''s fully qualified host name'
        $err.Exception.Message | Should -Not -Match '\[A-Za-z0-9\]'
    }
}

Describe 'EHLO name on the lab' -Tag Lab {
    It 'warns when the default EHLO name (this machine''s name) is not fully qualified, never with -HeloName or -DnsOnly' {
        $lab = Start-DaneLab
        $seen = Invoke-InLab @"
`$w = @()
Test-DaneDomain ee311.test -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -WarningVariable +w -WarningAction SilentlyContinue | Out-Null
`$x = @()
Test-DaneDomain ee311.test -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -HeloName probe.danetools.test -WarningVariable +x -WarningAction SilentlyContinue | Out-Null
Test-DaneDomain ee311.test -Server 127.0.0.1 -TrustAnchor '$($lab.Anchor)' -TimeoutSeconds 3 -DnsOnly -WarningVariable +x -WarningAction SilentlyContinue | Out-Null
[pscustomobject]@{ Default = @(`$w | ForEach-Object { "`$_" }); Given = @(`$x | ForEach-Object { "`$_" }) }
"@
        $name = [System.Net.Dns]::GetHostName()
        $domain = [System.Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties().DomainName
        $helo = @($seen.Default | Where-Object { $_ -match 'EHLO name defaults' })
        if ($name -notmatch '\.' -and -not $domain) {
            $helo.Count | Should -Be 1
            $helo[0] | Should -Match "'$([regex]::Escape($name))', which is not fully qualified.*-HeloName"
        }
        else { $helo.Count | Should -Be 0 }
        @($seen.Given | Where-Object { $_ -match 'EHLO name defaults' }).Count | Should -Be 0
    }
}

Describe 'Parameters an administrator types' -Tag Unit {
    It 'completes Test-DnssecChain -Type with record types, not file names' {
        $line = 'Test-DnssecChain contoso.com -Type T'
        $c = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $c.CompletionMatches.CompletionText | Should -Contain 'TLSA'
        $c.CompletionMatches.CompletionText | Should -Contain 'TXT'
        $c.CompletionMatches.CompletionText | Should -Not -Contain 'tests'
        $line = 'Test-DnssecChain contoso.com -Type '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'MX'
    }

    It 'New-TlsaRecord takes the numbers 3 1 1 as well as DANE-EE SPKI SHA2-256' {
        $pem = New-TestCertificate -Directory $TestDrive -Name mail.example.com
        $byName = New-TlsaRecord -CertificatePath $pem -Usage DANE-EE -Selector SPKI -MatchingType SHA2-256
        $byNumber = New-TlsaRecord -CertificatePath $pem -Usage 3 -Selector 1 -MatchingType 1
        $byNumber.Presentation | Should -Be $byName.Presentation
        $byNumber.Presentation | Should -Match ' IN TLSA 3 1 1 '
        (New-TlsaRecord -CertificatePath $pem -Usage 2 -Selector 0 -MatchingType 2).Presentation | Should -Match ' IN TLSA 2 0 2 '
        (New-TlsaRecord -CertificatePath $pem -Usage 3 -Selector 1 -MatchingType 1).CertificateAssociationData |
            Should -Be (Get-OpenSslAssociationData -PemPath $pem -Selector SPKI -MatchingType SHA2-256)
    }
}

Describe 'What the documentation promises' -Tag Unit {
    It 'says results come in completion order and how to sort them (help and about topic)' {
        (Get-Help Test-DaneDomain -Full | Out-String) | Should -Match 'completion order, not input order \(pipe to Sort-Object DomainName'
        (Get-Help about_DaneTools | Out-String) | Should -Match 'completion order'
    }

    It 'the README demo says how to stop the lab it leaves running' {
        $root = Get-RepositoryRoot
        Get-Content -Raw (Join-Path $root 'README.md') | Should -Match 'keeps running afterwards.*\r?\n.*-Task LabDown'
        Get-Content -Raw (Join-Path $root 'demo/Demo.ps1') | Should -Match 'Stop it with: dotnet pwsh -NoProfile -File \./build\.ps1 -Task LabDown'
    }
}

Describe 'Help as Get-Help shows it' -Tag Unit {
    It 'shows -ValidationTime as DateTime in SYNTAX, never Nullable`1' {
        foreach ($name in 'Test-DaneDomain', 'Get-TlsaRecord', 'Test-DnssecChain', 'Send-DaneMail') {
            $syntax = (Get-Help $name).syntax | Out-String -Width 1000   # Test-DaneDomain's syntax line is over 400 characters
            $syntax | Should -Not -Match 'Nullable'
            $syntax | Should -Match '-ValidationTime <DateTime>'
        }
    }

    It 'shows each parameter''s aliases (<Cmd> -<Parameter>)' -TestCases @(
        @{ Cmd = 'Test-DaneDomain'; Parameter = 'DomainName' },
        @{ Cmd = 'Test-DaneDomain'; Parameter = 'RecipientAddress' },
        @{ Cmd = 'Test-DnssecChain'; Parameter = 'QueryName' },
        @{ Cmd = 'New-TlsaRecord'; Parameter = 'HostName' }) {
        $expected = (Get-Command $Cmd).Parameters[$Parameter].Aliases -join ', '
        $expected | Should -Not -BeNullOrEmpty
        (Get-Help $Cmd -Parameter $Parameter).aliases | Should -Be $expected
        (Get-Help $Cmd -Parameter $Parameter | Out-String) | Should -Match ('Aliases\s+' + [regex]::Escape($expected))
    }

    # The cases come from the manifest: at discovery the module may not be imported yet.
    It 'gives every number and enum parameter the default the cmdlet has (<Cmd>)' -TestCases @(
        (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../module/DaneTools.psd1')).CmdletsToExport | ForEach-Object { @{ Cmd = $_ } }) {
        # A fresh cmdlet object holds its parameters' defaults; the help file must say the same (e.g. -ThrottleLimit 64,
        # issue 20). Read from the MAML file the module ships, which is what Get-Help shows.
        $command = Get-Command $Cmd
        $maml = [xml](Get-Content -Raw (Join-Path $command.Module.ModuleBase 'en-US/DaneTools.PowerShell.dll-Help.xml'))
        $ns = [System.Xml.XmlNamespaceManager]::new($maml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        $node = $maml.SelectSingleNode("//command:command[command:details/command:name='$Cmd']", $ns)
        $node | Should -Not -BeNullOrEmpty
        $instance = [Activator]::CreateInstance($command.ImplementingType)
        $checked = 0
        foreach ($p in $command.Parameters.Values) {
            $type = $p.ParameterType
            if (-not ($type -in [int], [long], [double] -or $type.IsEnum)) { continue }
            $property = $command.ImplementingType.GetProperty($p.Name)
            if ($null -eq $property) { continue }
            $help = $node.SelectSingleNode("command:parameters/command:parameter[maml:name='$($p.Name)']/dev:defaultValue", $ns)
            "$($help.InnerText)" | Should -Be "$($property.GetValue($instance))" -Because "-$($p.Name)"
            $checked++
        }
        if ($Cmd -in 'Test-DaneDomain', 'Get-TlsaRecord', 'Get-MtaStsPolicy', 'Test-DaneInboundReadiness') {
            (Get-Help $Cmd -Parameter ThrottleLimit).defaultValue | Should -Be '64'
            $checked | Should -BeGreaterThan 0
        }
    }
}

Describe 'New-TlsaRecord .Record' -Tag Unit {
    It 'shows DANE-EE/SPKI/SHA2-256 mnemonics, as every other view does, not the enum names' {
        $pem = New-TestCertificate -Directory $TestDrive -Name mx.example.org
        $text = (New-TlsaRecord -CertificatePath $pem).Record | Out-String -Width 200
        $text | Should -Match 'DANE-EE\s+SPKI\s+SHA2-256\s+[0-9A-F]{64}'
        $text | Should -Not -Match 'DaneEe|SubjectPublicKeyInfo'
    }
}

Describe 'New-TlsaRecord certificate file errors' -Tag Unit {
    It 'calls a folder a folder, not "access denied"' {
        $folder = Join-Path $TestDrive 'certs'
        New-Item -ItemType Directory -Path $folder | Out-Null
        $errs = ErrorsOf { New-TlsaRecord -LiteralPath $folder -HostName mx.example.com }
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidCertificateFile,*'
        $errs[0].Exception.Message | Should -Match 'is a folder, not a certificate file'
        $errs[0].Exception.Message | Should -Not -Match 'denied'
        $errs[0].ErrorDetails.RecommendedAction + $errs[0].CategoryInfo.Category | Should -Not -Match 'permission'
    }

    It 'says a file that cannot be read cannot be read, without blaming a folder (/proc/self/mem fails with EIO, even as root)' {
        $errs = ErrorsOf { New-TlsaRecord -LiteralPath /proc/self/mem -HostName mx.example.com }
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidCertificateFile,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ReadError'
        $errs[0].Exception.Message | Should -Match "^'/proc/self/mem' cannot be read: "
        "$($errs[0].ErrorDetails.RecommendedAction)" | Should -Match 'may read the file'
        "$($errs[0].ErrorDetails.RecommendedAction)" | Should -Not -Match 'folder'
    }

    It 'says a file holding no certificate is not one, without blaming a folder' {
        $file = Join-Path $TestDrive 'notes.pem'
        Set-Content -Path $file -Value 'hello'
        $errs = ErrorsOf { New-TlsaRecord -LiteralPath $file -HostName mx.example.com }
        $errs.Count | Should -Be 1
        $errs[0].Exception.Message | Should -Not -Match 'folder'
        "$($errs[0].ErrorDetails.RecommendedAction)" | Should -Not -Match 'folder'
    }
}
