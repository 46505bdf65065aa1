using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace DaneTools.Core.Tests.Dane;

/// <summary>Makes small certificate hierarchies for matcher tests (EC P-256, BouncyCastle's generator).</summary>
internal static class TestPki
{
    private static readonly SecureRandom s_random = new();
    private static long s_serial = 1000;

    public static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    public static AsymmetricCipherKeyPair NewKey()
    {
        var gen = new ECKeyPairGenerator();
        gen.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, s_random));
        return gen.GenerateKeyPair();
    }

    public sealed class Spec
    {
        public string Subject { get; set; } = "CN=leaf";
        public DateTime NotBefore { get; set; } = Now.AddDays(-30);
        public DateTime NotAfter { get; set; } = Now.AddDays(60);
        public bool Ca { get; set; }
        public int? PathLen { get; set; }
        public bool BasicConstraints { get; set; } = true;
        public string[] DnsNames { get; set; } = Array.Empty<string>();
    }

    public sealed class Issued
    {
        public Issued(X509Certificate cert, AsymmetricCipherKeyPair key) { Cert = cert; Key = key; }
        public X509Certificate Cert { get; }
        public AsymmetricCipherKeyPair Key { get; }
        public byte[] Der => Cert.GetEncoded();
        public byte[] Spki => Cert.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded();
    }

    /// <summary>Issues a certificate; a null issuer makes it self-signed.</summary>
    public static Issued Issue(Spec spec, Issued? issuer = null, AsymmetricCipherKeyPair? key = null,
        AsymmetricKeyParameter? publicKeyOverride = null, AsymmetricKeyParameter? signingKeyOverride = null)
    {
        key ??= NewKey();
        var gen = new X509V3CertificateGenerator();
        gen.SetSerialNumber(BigInteger.ValueOf(System.Threading.Interlocked.Increment(ref s_serial)));
        gen.SetSubjectDN(new X509Name(spec.Subject));
        gen.SetIssuerDN(issuer is null ? new X509Name(spec.Subject) : issuer.Cert.SubjectDN);
        gen.SetNotBefore(spec.NotBefore);
        gen.SetNotAfter(spec.NotAfter);
        gen.SetPublicKey(publicKeyOverride ?? key.Public);
        if (spec.BasicConstraints)
        {
            gen.AddExtension(X509Extensions.BasicConstraints, true,
                spec.Ca ? (spec.PathLen is int p ? new BasicConstraints(p) : new BasicConstraints(true)) : new BasicConstraints(false));
        }
        if (spec.Ca) gen.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
        if (spec.DnsNames.Length > 0)
        {
            gen.AddExtension(X509Extensions.SubjectAlternativeName, false,
                new GeneralNames(spec.DnsNames.Select(n => new GeneralName(GeneralName.DnsName, n)).ToArray()));
        }
        var signer = signingKeyOverride ?? (issuer is null ? key.Private : issuer.Key.Private);
        return new Issued(gen.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", signer, s_random)), key);
    }

    /// <summary>A root, an intermediate and a leaf for mail.example.com (SAN), all valid at <see cref="Now"/>.</summary>
    public sealed class Hierarchy
    {
        public Hierarchy(Spec? leafSpec = null)
        {
            Root = Issue(new Spec { Subject = "CN=Test Root", Ca = true, NotBefore = Now.AddYears(-5), NotAfter = Now.AddYears(5) });
            Intermediate = Issue(new Spec { Subject = "CN=Test Issuer", Ca = true, NotBefore = Now.AddYears(-2), NotAfter = Now.AddYears(2) }, Root);
            Leaf = Issue(leafSpec ?? new Spec { Subject = "CN=mail.example.com", DnsNames = new[] { "mail.example.com" } }, Intermediate);
        }

        public Issued Root { get; }
        public Issued Intermediate { get; }
        public Issued Leaf { get; }

        public List<byte[]> Chain(bool withRoot = false) =>
            withRoot ? new() { Leaf.Der, Intermediate.Der, Root.Der } : new() { Leaf.Der, Intermediate.Der };
    }
}
