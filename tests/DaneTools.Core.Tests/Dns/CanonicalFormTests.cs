using System;
using System.Linq;
using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;
using DaneTools.Core.Dnssec;
using Xunit;

namespace DaneTools.Core.Tests.Dns;

/// <summary>
/// Canonical RDATA checked against a real signer: every RRSIG of a zone signed by BIND 9.18 dnssec-signzone must
/// verify with the product's canonical form (RFC 4034 6.2 as corrected by RFC 6840 5.1).
/// </summary>
/// <remarks>
/// The zone has mixed-case names inside the RDATA of every type that carries names (NS, SOA, MX, CNAME, PTR, SRV,
/// DNAME, RP, MINFO, AFSDB, NAPTR, KX) and mixed-case owners, so NSEC next names keep upper case (RFC 6840 5.1).
/// Made with: dnssec-keygen -a ECDSAP256SHA256 [-f KSK] canon.test; dnssec-signzone -o canon.test. -s 20260101000000
/// -e 20360101000000 -O full; named-compilezone -s full; types without a presentation parser here (RP, MINFO,
/// AFSDB, NAPTR, KX) were rewritten to RFC 3597 form with dnspython 2.3. The source zone was:
/// </remarks>
public class CanonicalFormTests
{
    // $TTL 3600
    // $ORIGIN canon.test.
    // @        IN SOA   NS1.Canon.TEST. HostMaster.Canon.Test. 2026010101 3600 900 604800 300
    // @        IN NS    NS1.Canon.TEST.
    // @        IN NS    ns2.EXAMPLE.net.
    // @        IN MX    10 Mail.CANON.test.
    // @        IN TXT   "v=spf1 -all" "Mixed \"Case\" Text"
    // @        IN CAA   0 issue "LetsEncrypt.org"
    // NS1      IN A     192.0.2.53
    // NS1      IN AAAA  2001:db8::53
    // Mail     IN A     192.0.2.25
    // Alias    IN CNAME Mail.Canon.TEST.
    // PTRname  IN PTR   Host.Example.COM.
    // _25._tcp.Mail IN TLSA 3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6
    // _sip._tcp IN SRV  10 5 5060 SIP.Canon.Test.
    // Redir    IN DNAME Target.EXAMPLE.org.
    // Old      IN HINFO "PDP-11" "UNIX"
    // Person   IN RP    Admin.Canon.TEST. Info.Canon.TEST.
    // Box      IN MINFO Admin.Canon.TEST. Errors.Canon.TEST.
    // Afs      IN AFSDB 1 AfsServer.Canon.TEST.
    // Naptr    IN NAPTR 100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" SIP.Canon.TEST.
    // Kx       IN KX    10 Kx.Canon.TEST.
    // Deleg    IN NS    NS.Deleg.Canon.TEST.
    // Deleg    IN DS    12345 13 2 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6
    // NS.Deleg IN A     192.0.2.54
    // *.Wild   IN A     192.0.2.99
    // Upper.Zz IN TXT   "next names in NSEC keep their case"

    internal static readonly string[] SignedZone =
    {
        "canon.test. 3600 IN SOA NS1.Canon.TEST. HostMaster.Canon.Test. 2026010101 3600 900 604800 300",
        "canon.test. 3600 IN RRSIG SOA 13 2 3600 20360101000000 20260101000000 33137 canon.test. 7yR1T1mn0uFYqiLfXIopBMTKNpm4w8UeTGm0sdYzSLKHQOvZBhn6MZPV Ef6G8GfLxUMtg9jKbmEVxBXc4hFB+g==",
        "canon.test. 3600 IN NS NS1.Canon.TEST.",
        "canon.test. 3600 IN NS ns2.EXAMPLE.net.",
        "canon.test. 3600 IN RRSIG NS 13 2 3600 20360101000000 20260101000000 33137 canon.test. 0frRemXIlNlfZXI6wJE0jDN3o+5b3WF0r//MUoqzzyXD0XTXybR0MoPG IMYVlKygYqLqj4Tfcobnphv/V0K2wA==",
        "canon.test. 3600 IN MX 10 Mail.CANON.test.",
        "canon.test. 3600 IN RRSIG MX 13 2 3600 20360101000000 20260101000000 33137 canon.test. z1vzvKgT7hAD8fpNZOY0XbD87508+Nan4+V6rXbmksIpZCgONT3YLT9i ksZzGwNhPgGH1RZn+KJSXRoMqj1+sQ==",
        "canon.test. 3600 IN TXT \"v=spf1 -all\" \"Mixed \\\"Case\\\" Text\"",
        "canon.test. 3600 IN RRSIG TXT 13 2 3600 20360101000000 20260101000000 33137 canon.test. /VAFf46Z4n6aqrDTa3n7FgfHuTXksDRN4J+8wkLmJr+AKjCUX38J0s40 asv75sgxB2uNKhaYb2G9vifs+f7bBQ==",
        "canon.test. 300 IN NSEC _sip._tcp.canon.test. NS SOA MX TXT RRSIG NSEC DNSKEY CAA",
        "canon.test. 300 IN RRSIG NSEC 13 2 300 20360101000000 20260101000000 33137 canon.test. q/hkjcN1tZDRE3pEqJ5eJQduy5SmsEoLarmvmb7buBtneozvwBhQNcOS G0rjf+CTVI175tQP2YII23/FUGNXrw==",
        "canon.test. 3600 IN DNSKEY 256 3 13 iVHFjRuO4qj47PgDaW+QJ5mxgclxjdMAZQWQYp2ZiACLK1jJLgDy5can AwP28+XzpUQdznjRe3tSbvKvdH6uUA==",
        "canon.test. 3600 IN DNSKEY 257 3 13 3Zd0EayOb7XbJREue7cod0KrYBYA4Kf+AoLqxIK5CaRRQuhE7bedix9Z uc8Kh1W/V9B2oMCG3PHOY+U6rRKx+Q==",
        "canon.test. 3600 IN RRSIG DNSKEY 13 2 3600 20360101000000 20260101000000 17553 canon.test. sMxW8zpliggcm9Po4ufLyudGXxq5f3vjARRWtHKeEKzY51zydmrNd+Zc n9x08JaCOr90b04NzT+mZKq9Ma1A2A==",
        "canon.test. 3600 IN RRSIG DNSKEY 13 2 3600 20360101000000 20260101000000 33137 canon.test. CU8rdM6zFAMjnI1N0VhMLXaq17LDfBGyISqEcO085CeW+pa0Ndb09SaH K5KoIbb21d+jAQnZ8NamL1keMsDwHg==",
        "canon.test. 3600 IN CAA 0 issue \"LetsEncrypt.org\"",
        "canon.test. 3600 IN RRSIG CAA 13 2 3600 20360101000000 20260101000000 33137 canon.test. yF75XJ26PAfxN+46tIYXhVSHhMozARGN1bCg624qk42UecmyOYQOFc7R uTt4BY6bO3iKVo/rPTp651cr/LXEwA==",
        "_sip._tcp.canon.test. 3600 IN SRV 10 5 5060 SIP.Canon.Test.",
        "_sip._tcp.canon.test. 3600 IN RRSIG SRV 13 4 3600 20360101000000 20260101000000 33137 canon.test. Cbp7gBzpn8ZTVQcwdSEVzDys/sPid+VRqxWbgxnJq3fJmr7hGKsGgjgb QbEMoJB8IVr3MECz5mf4ZQu/gewn5Q==",
        "_sip._tcp.canon.test. 300 IN NSEC Afs.canon.test. SRV RRSIG NSEC",
        "_sip._tcp.canon.test. 300 IN RRSIG NSEC 13 4 300 20360101000000 20260101000000 33137 canon.test. xkbziHRZ/Lzi57U8rOiTzZ1lX1DtWylshxqa9SxF2ER3WKOYNQBykoeO 9zxIgoUCWe1NRIpjT1XZf+5PGTpmuA==",
        "Afs.canon.test. 3600 IN AFSDB \\# 24 0001094166735365727665720543616E6F6E045445535400",
        "Afs.canon.test. 3600 IN RRSIG AFSDB 13 3 3600 20360101000000 20260101000000 33137 canon.test. 9Odp7TaEbmi8svyxlwIToV4GIqkboRZMWaFxp0dkf+gPuTh4X2Q91Wa/ as14qd8aCxLCvr5EOKLTKgwfpZyNlQ==",
        "Afs.canon.test. 300 IN NSEC Alias.canon.test. AFSDB RRSIG NSEC",
        "Afs.canon.test. 300 IN RRSIG NSEC 13 3 300 20360101000000 20260101000000 33137 canon.test. yfMsK6WazevQ9efotpD5O41CDKTjbJXjPiw+DcIPi1D3bCWXtA+jMOfF /AKudXX1tSSkkOnX2cVhXUZpTehWlg==",
        "Alias.canon.test. 3600 IN CNAME Mail.Canon.TEST.",
        "Alias.canon.test. 3600 IN RRSIG CNAME 13 3 3600 20360101000000 20260101000000 33137 canon.test. KOCMWSq8m/qHIalE5fV2jSjpJS/GZCy22Y4/L4OVyA5se5ZH6tzkIuN0 lu//VjAvt+c0wQ8a1D10K9R93EPFiQ==",
        "Alias.canon.test. 300 IN NSEC Box.canon.test. CNAME RRSIG NSEC",
        "Alias.canon.test. 300 IN RRSIG NSEC 13 3 300 20360101000000 20260101000000 33137 canon.test. Cybox75LCJDeuj6bKYIrtnKisnojxvZkryqfBYFBRH+90Od6L0UaVwea MFpUsroadVfej13BtrkyYzORc3w9ew==",
        "Box.canon.test. 3600 IN MINFO \\# 37 0541646D696E0543616E6F6E045445535400064572726F72730543616E6F6E045445535400",
        "Box.canon.test. 3600 IN RRSIG MINFO 13 3 3600 20360101000000 20260101000000 33137 canon.test. Btcq+FIsItx31zuT43yYUDCsf3aKaZTId+G0Lk0sCrTD2d+/jFFjuBp3 39HojbOgidWP1DBTlar4OoEqF7Ee1A==",
        "Box.canon.test. 300 IN NSEC Deleg.canon.test. MINFO RRSIG NSEC",
        "Box.canon.test. 300 IN RRSIG NSEC 13 3 300 20360101000000 20260101000000 33137 canon.test. TNi8ykRx2LlFTjrpA1VEdOpzVNt9U4FKEEQBjA/vTwaHoN/hm4poJFtS KSJgs1T9snz1EELpnZl8seFrcBK/Aw==",
        "Deleg.canon.test. 3600 IN NS NS.Deleg.Canon.TEST.",
        "Deleg.canon.test. 3600 IN DS 12345 13 2 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B566 64C5D3D6",
        "Deleg.canon.test. 3600 IN RRSIG DS 13 3 3600 20360101000000 20260101000000 33137 canon.test. +Na1CQxENrfa7cmVLekoMRtFHG3I52qmTTTjSoOcDIHVP4z/Z2SQZB8l aiE1rQYmP+AGP7Dh5TVBPw8sUkR4uQ==",
        "Deleg.canon.test. 300 IN NSEC Kx.canon.test. NS DS RRSIG NSEC",
        "Deleg.canon.test. 300 IN RRSIG NSEC 13 3 300 20360101000000 20260101000000 33137 canon.test. +s2xnyn1x4yn6X+z90MMsNydC9kWdJmeTKDqOXDBjCsjE3oowppV26Sj 5y9f9izgCh+Nn+fxr4Jsm/9OxdPvzw==",
        "NS.Deleg.canon.test. 3600 IN A 192.0.2.54",
        "Kx.canon.test. 3600 IN KX \\# 17 000A024B780543616E6F6E045445535400",
        "Kx.canon.test. 3600 IN RRSIG KX 13 3 3600 20360101000000 20260101000000 33137 canon.test. SKcIJZrbx6wt4AKzAHGLy4BE51H4+k5/LgmfcSEFIRea65uThG8E+2WT vgdB7hlcu+ijewBhIri6bhrZO1FAhA==",
        "Kx.canon.test. 300 IN NSEC Mail.canon.test. KX RRSIG NSEC",
        "Kx.canon.test. 300 IN RRSIG NSEC 13 3 300 20360101000000 20260101000000 33137 canon.test. 3jqN+E3C+k08ONdI4QASt4YzxNdIBTnlaEojX85UqMjgnG3/vi1JcKH4 IdIw2rzU6BDSA3UKCfJDrS5UgcoTxQ==",
        "Mail.canon.test. 3600 IN A 192.0.2.25",
        "Mail.canon.test. 3600 IN RRSIG A 13 3 3600 20360101000000 20260101000000 33137 canon.test. fWZJYLOBLdi1j8m8zwJdhHxlCtfC6juiScjBU6lu6z86p+1C6Ws2JPFW WmM+nwHWyb+kCcBpYPXH7woyaKOM0Q==",
        "Mail.canon.test. 300 IN NSEC _25._tcp.Mail.canon.test. A RRSIG NSEC",
        "Mail.canon.test. 300 IN RRSIG NSEC 13 3 300 20360101000000 20260101000000 33137 canon.test. lCIQ3Q+1SrEx4AKe7V7W9RrB/Dt7NIonQ8R6iBAtISMTDOmjOiceJQYG KLISzZS3zHWbb9ZB8kAk3FKpRRPRfA==",
        "_25._tcp.Mail.canon.test. 300 IN NSEC Naptr.canon.test. RRSIG NSEC TLSA",
        "_25._tcp.Mail.canon.test. 300 IN RRSIG NSEC 13 5 300 20360101000000 20260101000000 33137 canon.test. g41GxpFWzwhIICm4HZ34WsTiCTwUSfpz2JoYpY0fBU4Rb0nrOBkXj2A9 K896q97HULM+r3nAyqZwVoLdWdMz/A==",
        "_25._tcp.Mail.canon.test. 3600 IN TLSA 3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B566 64C5D3D6",
        "_25._tcp.Mail.canon.test. 3600 IN RRSIG TLSA 13 5 3600 20360101000000 20260101000000 33137 canon.test. IpUUEyhYKmwh0y1eKCrIFx9rhBPupis937z5Pedd4YnCLiSCS1Fz1FsB e7PAV9wC3V7R+OyVkL9AZr7c9DNlZw==",
        "Naptr.canon.test. 3600 IN NAPTR \\# 58 0064000A0155074532552B7369701B215E2E2A24217369703A696E666F406578616D706C652E636F6D21035349500543616E6F6E045445535400",
        "Naptr.canon.test. 3600 IN RRSIG NAPTR 13 3 3600 20360101000000 20260101000000 33137 canon.test. +Ey7SWd0sHs1BQAlJ0CxsnoFTPcymgPl3K99ECFGXLRc1un0DZqlRMUC ix+Bwt9BzFXfeoLt5YofDd94cGyQxQ==",
        "Naptr.canon.test. 300 IN NSEC NS1.canon.test. NAPTR RRSIG NSEC",
        "Naptr.canon.test. 300 IN RRSIG NSEC 13 3 300 20360101000000 20260101000000 33137 canon.test. VKSRlpHAsRQbU8YXh5O5ZeS35Hbhe/LB12CrpuSLOnqycRMAt4FriR5y TTyyb42MLHOkb8ITcBqesq59YXLNtA==",
        "NS1.canon.test. 3600 IN A 192.0.2.53",
        "NS1.canon.test. 3600 IN RRSIG A 13 3 3600 20360101000000 20260101000000 33137 canon.test. Z6sgFvx/Px/TVi9Uq/zWJSqiugDHDR+D0tKrYyk3iHXpZ8n284x3hmM9 OB1c9O+rdgFGouHnkUJKYJsDzxZD7Q==",
        "NS1.canon.test. 3600 IN AAAA 2001:db8::53",
        "NS1.canon.test. 3600 IN RRSIG AAAA 13 3 3600 20360101000000 20260101000000 33137 canon.test. 3sl/cpYhmtsDpmlwea3XAIpQ9DNFNc7BVjWqU9Ec40w8rKpp++ocwS3O k4Tg3Q9XPvPwX50icc4s0ZN1V9cKGg==",
        "NS1.canon.test. 300 IN NSEC Old.canon.test. A AAAA RRSIG NSEC",
        "NS1.canon.test. 300 IN RRSIG NSEC 13 3 300 20360101000000 20260101000000 33137 canon.test. osMfpC1h1OiGCzsiJsrllYx6gj0V0/e+/3/RfemPHiyX2Rk0pR+ElO6u 5xg/ljmO7AOvkh/rD6PpQ8vXpODV1g==",
        "Old.canon.test. 3600 IN HINFO \"PDP-11\" \"UNIX\"",
        "Old.canon.test. 3600 IN RRSIG HINFO 13 3 3600 20360101000000 20260101000000 33137 canon.test. Q8iau9zvOuXdhTdzaPRuZRILSyFD2sJ9K/v1Lboe88YPN65AD/dziToS nyFCF3EKljFdHgB5T1/46o5YQAJzOg==",
        "Old.canon.test. 300 IN NSEC Person.canon.test. HINFO RRSIG NSEC",
        "Old.canon.test. 300 IN RRSIG NSEC 13 3 300 20360101000000 20260101000000 33137 canon.test. hUQVetHDUT/JjZnqGYYLAMnUE3SVRS7oUx/fItIN87gIDyGpIi9WI235 VGxTwmBQ+YisYXZJiSR0xcgN2vNdOA==",
        "Person.canon.test. 3600 IN RP \\# 35 0541646D696E0543616E6F6E04544553540004496E666F0543616E6F6E045445535400",
        "Person.canon.test. 3600 IN RRSIG RP 13 3 3600 20360101000000 20260101000000 33137 canon.test. rlJn2c29CbecJgZKEiUajUnncJLsCHP9e29lF+0VwOnZ0KgqrJPI9hhr zNVrHc/NtU9GY7E1mpAUA8swftoyAw==",
        "Person.canon.test. 300 IN NSEC PTRname.canon.test. RP RRSIG NSEC",
        "Person.canon.test. 300 IN RRSIG NSEC 13 3 300 20360101000000 20260101000000 33137 canon.test. PoCdBsjjt5twCOIM8znoGB8HXWeEwqyc5jdPmmrC8upYu7pIXvrx99M4 ipUNea7UtL2ISn7FRvpc9gRMv5AHrQ==",
        "PTRname.canon.test. 3600 IN PTR Host.Example.COM.",
        "PTRname.canon.test. 3600 IN RRSIG PTR 13 3 3600 20360101000000 20260101000000 33137 canon.test. aoYDeO+RNDGmBG8c4kElyfBRjDqlqJ3sRICilsGRUDsXHcOixQVil2KI YcCTAuao9WapUh/tVpZTZ4WmKGndSw==",
        "PTRname.canon.test. 300 IN NSEC Redir.canon.test. PTR RRSIG NSEC",
        "PTRname.canon.test. 300 IN RRSIG NSEC 13 3 300 20360101000000 20260101000000 33137 canon.test. jKv36ZJ06opmd2XlGZCwnBDGvgdsPQHbgY3PvBcv/ZRyHrF0ZQ9DUNZ4 nqbvTvP4FC6Y5Ogsvg6i0y9J+vppVA==",
        "Redir.canon.test. 3600 IN DNAME Target.EXAMPLE.org.",
        "Redir.canon.test. 3600 IN RRSIG DNAME 13 3 3600 20360101000000 20260101000000 33137 canon.test. 4MjHAUXD0ju0X4fpQs8lUlZgMl0/PVMu9dyeI3WuF+E++W7UH/vgJON4 jMIX6UcDt66pAhe1JcAAzFCsNgxwkQ==",
        "Redir.canon.test. 300 IN NSEC *.Wild.canon.test. DNAME RRSIG NSEC",
        "Redir.canon.test. 300 IN RRSIG NSEC 13 3 300 20360101000000 20260101000000 33137 canon.test. vbgZfh2pGsW+3BmnP8DuXYTKP4hZa7fn+bO9QSkojHphhMLdqu4o4roG FP+20Yje6tAC00lON0jnrHUgLOctrQ==",
        "*.Wild.canon.test. 3600 IN A 192.0.2.99",
        "*.Wild.canon.test. 3600 IN RRSIG A 13 3 3600 20360101000000 20260101000000 33137 canon.test. x6AVm0aujBiNhbXDCrb2QrhRdxGyjrwQOSEI0XUHx4PfWDjtlTEQf86T bY8R+PhrGMbk9EA9Ee0goSbtPl3dIQ==",
        "*.Wild.canon.test. 300 IN NSEC Upper.Zz.canon.test. A RRSIG NSEC",
        "*.Wild.canon.test. 300 IN RRSIG NSEC 13 3 300 20360101000000 20260101000000 33137 canon.test. nw6rasU67n82NurRr8c4LCnJGyFdi+T22E0fw31kMa+mhCIAlN8Qt7Qt H5iickdVqx6j7OVLOcH1RyE2ul7UsQ==",
        "Upper.Zz.canon.test. 3600 IN TXT \"next names in NSEC keep their case\"",
        "Upper.Zz.canon.test. 3600 IN RRSIG TXT 13 4 3600 20360101000000 20260101000000 33137 canon.test. 54NTtlwjfscCCMgUzNZYnjS0A7cD4EtI/kXCe8dUjHBvMlQ7+iYxjmmp L0hw21nhwM2GP2TW4zSFXwppXnRINQ==",
        "Upper.Zz.canon.test. 300 IN NSEC canon.test. TXT RRSIG NSEC",
        "Upper.Zz.canon.test. 300 IN RRSIG NSEC 13 4 300 20360101000000 20260101000000 33137 canon.test. mhmxumMplaSZrPFM10001GLv9uT+OxvOS+TjTC3PMGClc9L7jTVHu1D6 PyXak4mw8Nrfdh7D8rxFYKFEIU6m8w=="
    };

    public static TheoryData<int> SignatureIndexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < SignedZone.Length; i++)
        {
            if (SignedZone[i].Contains(" IN RRSIG ")) data.Add(i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SignatureIndexes))]
    public void Verify_BindSignedZone_EveryRrsigVerifies(int index)
    {
        var records = SignedZone.Select(ResourceRecord.Parse).ToList();
        var sig = RrsigRecord.From(records[index]);
        var rrset = records.Where(r => r.Owner.Equals(sig.Owner) && r.Type == sig.TypeCovered).ToList();
        var keys = records.Where(r => r.Type == DnsRecordType.DNSKEY).Select(DnskeyRecord.From).ToList();
        var at = new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var settings = new DnssecValidatorOptions { ValidationTime = at }.Snapshot(new FixedClock(at));
        var check = new RrsetVerifier(new DnssecSignatureVerifier(), settings, new WorkBudget(settings)).Verify(rrset, new[] { sig }, DnsName.Parse("canon.test."), keys);
        Assert.True(check.IsSecure, $"{sig.Owner} {sig.TypeCovered}: {check.Reason}");
    }

    [Fact]
    public void SignedZone_CoversEveryNameCarryingType()
    {
        var types = SignedZone.Select(ResourceRecord.Parse).Where(r => r.Type == DnsRecordType.RRSIG).Select(r => RrsigRecord.From(r).TypeCovered).Distinct().ToList();
        foreach (var t in new ushort[] { 2, 5, 6, 12, 13, 14, 15, 16, 17, 18, 33, 35, 36, 39, 43, 47, 48, 52, 257 })
        {
            Assert.Contains((DnsRecordType)t, types);
        }
        // An NSEC next name with upper case, as signed (RFC 6840 5.1 keeps it out of lower-casing).
        Assert.Contains(SignedZone, l => l.Contains(" IN NSEC Afs.canon.test."));
    }
}
