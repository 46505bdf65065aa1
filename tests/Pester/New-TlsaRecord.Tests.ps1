BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DaneToolsModule | Out-Null
    $script:dir = Join-Path $TestDrive 'certs'
    New-Item -ItemType Directory -Path $dir | Out-Null
    $script:leaf = New-TestCertificate -Directory $dir -Name 'mail.example.com' -DnsName 'mail.example.com', 'mx.example.com'
    $script:der = Join-Path $dir 'mail.example.com.der'
    & openssl x509 -in $leaf -outform DER -out $der
    # A chain: leaf signed by an issuing CA, file leaf first as servers load it.
    $script:caPem = New-TestCertificate -Directory $dir -Name 'ca' -Subject '/CN=Example Issuing CA' -DnsName @() -CA
    $script:chainLeaf = New-TestCertificate -Directory $dir -Name 'mx1.contoso.com' -IssuerKey (Join-Path $dir 'ca.key') -IssuerCert $caPem
    $script:chain = Join-Path $dir 'fullchain.pem'
    Get-Content $chainLeaf, $caPem | Set-Content $chain
    $script:resolvConf = Join-Path $TestDrive 'resolv.conf'
    Set-Content $resolvConf 'nameserver 127.0.0.1'
}

Describe 'New-TlsaRecord' -Tag Unit {
    Context 'agrees with openssl' {
        It 'makes <Selector> <MatchingType> DANE-EE data as openssl computes it' -TestCases @(
            @{ Selector = 'SPKI'; MatchingType = 'SHA2-256'; Numbers = '3 1 1' }
            @{ Selector = 'SPKI'; MatchingType = 'SHA2-512'; Numbers = '3 1 2' }
            @{ Selector = 'Cert'; MatchingType = 'SHA2-256'; Numbers = '3 0 1' }
            @{ Selector = 'Cert'; MatchingType = 'SHA2-512'; Numbers = '3 0 2' }
            @{ Selector = 'SPKI'; MatchingType = 'Full'; Numbers = '3 1 0' }
            @{ Selector = 'Cert'; MatchingType = 'Full'; Numbers = '3 0 0' }
        ) {
            $expected = Get-OpenSslAssociationData -PemPath $leaf -Selector $Selector -MatchingType $MatchingType
            $record = New-TlsaRecord -CertificatePath $leaf -HostName mail.example.com -Selector $Selector -MatchingType $MatchingType
            $record.CertificateAssociationData | Should -Be $expected
            $record.Presentation | Should -Be "_25._tcp.mail.example.com. IN TLSA $Numbers $expected"
        }

        It 'makes one DANE-TA record per certificate of a chain file, leaf first' {
            $records = @(New-TlsaRecord -CertificatePath $chain -Usage DANE-TA -Selector Cert -HostName mx1.contoso.com)
            $records.Count | Should -Be 2
            $records[0].ChainIndex | Should -Be 0
            $records[1].ChainIndex | Should -Be 1
            $records[1].CertificateSubject | Should -Match 'Example Issuing CA'
            $records[1].CertificateAssociationData | Should -Be (Get-OpenSslAssociationData -PemPath $caPem -Selector Cert -MatchingType SHA2-256)
            $records[1].Presentation | Should -BeLike '_25._tcp.mx1.contoso.com. IN TLSA 2 0 1 *'
        }

        It 'reads a DER file like its PEM twin' {
            (New-TlsaRecord $der -HostName mail.example.com).Presentation | Should -Be (New-TlsaRecord $leaf -HostName mail.example.com).Presentation
        }
    }

    Context "agrees with hash-slinger's tlsa --create" {
        It 'gives the same line for <Usage> <Selector> <MatchingType>' -TestCases @(
            @{ Usage = 'DANE-EE'; Selector = 'SPKI'; MatchingType = 'SHA2-256'; Fields = '3', '1', '1' }
            @{ Usage = 'DANE-EE'; Selector = 'Cert'; MatchingType = 'SHA2-512'; Fields = '3', '0', '2' }
            @{ Usage = 'DANE-TA'; Selector = 'SPKI'; MatchingType = 'SHA2-256'; Fields = '2', '1', '1' }
        ) {
            $peer = & tlsa --create --certificate $leaf --port 25 --resolvconf $resolvConf --usage $Fields[0] --selector $Fields[1] --mtype $Fields[2] mail.example.com 2>&1 |
                Where-Object { $_ -like '_25._tcp.*' }
            $peer | Should -Not -BeNullOrEmpty -Because 'hash-slinger prints the record line'
            $ours = (New-TlsaRecord -CertificatePath $leaf -HostName mail.example.com -Usage $Usage -Selector $Selector -MatchingType $MatchingType)[0].Presentation
            $ours | Should -Be ("$peer".Trim() -replace '[0-9a-f]{64,}$', { $_.Value.ToUpperInvariant() })
        }
    }

    Context 'defaults and binding' {
        It 'defaults to 3 1 1 on port 25 named after the first DNS name of the certificate' {
            $record = New-TlsaRecord -CertificatePath $leaf
            $record.Name | Should -Be '_25._tcp.mail.example.com.'
            $record.Usage | Should -Be 'DANE-EE'
            $record.Selector | Should -Be 'SPKI'
            $record.MatchingType | Should -Be 'SHA2-256'
        }

        It 'uses the port and host name given' {
            (New-TlsaRecord -CertificatePath $leaf -HostName 'MX.Example.COM.' -Port 465).Name | Should -Be '_465._tcp.mx.example.com.'
        }

        It 'binds Get-ChildItem output by property name' {
            $records = @(Get-ChildItem $dir -Filter 'mail.example.com.*' | Where-Object Extension -In '.pem', '.der' | New-TlsaRecord -HostName mail.example.com)
            $records.Count | Should -Be 2
            @($records.CertificateAssociationData | Select-Object -Unique).Count | Should -Be 1
        }

        It 'takes a file name with brackets as written: -LiteralPath and Get-ChildItem output' {
            $brackets = Join-Path $TestDrive 'literal'
            New-Item -ItemType Directory -Path $brackets | Out-Null
            Copy-Item $leaf (Join-Path $brackets 'mail[1].pem')
            $expected = (New-TlsaRecord -CertificatePath $leaf -HostName mail.example.com).CertificateAssociationData
            (New-TlsaRecord -LiteralPath (Join-Path $brackets 'mail[1].pem') -HostName mail.example.com).CertificateAssociationData | Should -Be $expected
            @(Get-ChildItem -LiteralPath $brackets | New-TlsaRecord -HostName mail.example.com).CertificateAssociationData | Should -Be $expected
            # As -CertificatePath the brackets are a wildcard ([1] is the character 1): mail1.pem does not exist.
            @(New-TlsaRecord -CertificatePath (Join-Path $brackets 'mail[1].pem') -ErrorAction SilentlyContinue).Count | Should -Be 0
            { New-TlsaRecord -LiteralPath (Join-Path $brackets 'mail[2].pem') -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateFileNotFound,DaneTools.PowerShell.Commands.NewTlsaRecordCommand'
        }

        It 'rejects a usage outside DANE-EE and DANE-TA' {
            { New-TlsaRecord -CertificatePath $leaf -Usage PKIX-EE } | Should -Throw -ErrorId 'ParameterArgumentValidationError,DaneTools.PowerShell.Commands.NewTlsaRecordCommand'
        }
    }

    Context 'bad input' {
        It 'writes CertificateFileNotFound for a missing file and goes on with the others' {
            $records = @(New-TlsaRecord -CertificatePath (Join-Path $dir 'missing.pem'), $leaf -HostName mail.example.com -ErrorVariable errs -ErrorAction SilentlyContinue)
            $records.Count | Should -Be 1
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'CertificateFileNotFound,DaneTools.PowerShell.Commands.NewTlsaRecordCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errs[0].TargetObject | Should -BeLike '*missing.pem'
        }

        It 'writes InvalidCertificateFile for a folder and goes on with the other files' {
            $records = @(New-TlsaRecord -CertificatePath $TestDrive, $leaf -HostName mail.example.com -ErrorVariable errs -ErrorAction SilentlyContinue)
            $records.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidCertificateFile,DaneTools.PowerShell.Commands.NewTlsaRecordCommand'
        }

        It 'writes the A-label of an IDN host name and refuses a wildcard' {
            (New-TlsaRecord -CertificatePath $leaf -HostName 'bücher.example').Name | Should -Be '_25._tcp.xn--bcher-kva.example.'
            { New-TlsaRecord -CertificatePath $leaf -HostName '*.example.com' } |
                Should -Throw -ErrorId 'InvalidDomainName,DaneTools.PowerShell.Commands.NewTlsaRecordCommand'
        }

        It 'writes InvalidCertificateFile naming a file that holds no certificate' {
            $junk = Join-Path $dir 'notes.txt'
            Set-Content $junk 'this is not a certificate'
            { New-TlsaRecord -CertificatePath $junk -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidCertificateFile,DaneTools.PowerShell.Commands.NewTlsaRecordCommand'
            $null = New-TlsaRecord -CertificatePath $junk -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].Exception.Message | Should -Match 'notes\.txt'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        }
    }

    Context 'output' {
        It 'keeps its meaning through ConvertTo-Json' {
            $json = New-TlsaRecord -CertificatePath $leaf -HostName mail.example.com | ConvertTo-Json -Depth 8 | ConvertFrom-Json
            $json.Usage | Should -Be 'DANE-EE'
            $json.Presentation | Should -BeLike '_25._tcp.mail.example.com. IN TLSA 3 1 1 *'
        }

        It 'renders with its view after Export-Clixml and Import-Clixml' {
            $file = Join-Path $TestDrive 'records.xml'
            New-TlsaRecord -CertificatePath $leaf -HostName mail.example.com | Export-Clixml $file
            $back = Import-Clixml $file
            $back.PSObject.TypeNames[0] | Should -Be 'Deserialized.DaneTools.Core.Dane.TlsaRecordDefinition'
            $table = $back | Format-Table | Out-String -Width 400
            $table | Should -Match 'CertificateSubject'
            $table | Should -Match '_25\._tcp\.mail\.example\.com\.'
        }
    }
}
