using DaneTools.Core.Crypto;
using DaneTools.Core.Dns;
using DaneTools.Core.Tests.Dns;
using Xunit;

namespace DaneTools.Core.Tests.Crypto;

public class Nsec3HashTests
{
    public static TheoryData<string, string> HashVectors()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in ConformanceData.RfcVectors("rfc5155.json").GetProperty("hashed_owner_names").GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!, c.GetProperty("hash").GetString()!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(HashVectors))]
    public void Compute_Rfc5155Names_MatchesPublishedHash(string name, string expected)
    {
        var p = ConformanceData.RfcVectors("rfc5155.json").GetProperty("nsec3_parameters");
        var salt = Hex.Decode(p.GetProperty("salt_hex").GetString()!);
        Assert.Equal(expected, Nsec3Hash.ComputeBase32Hex(DnsName.Parse(name), salt, p.GetProperty("iterations").GetInt32()));
        // Upper-case input hashes the same: the name is hashed in canonical (lower-case) form.
        Assert.Equal(expected, Nsec3Hash.ComputeBase32Hex(DnsName.Parse(name.ToUpperInvariant()), salt, 12));
    }
}
