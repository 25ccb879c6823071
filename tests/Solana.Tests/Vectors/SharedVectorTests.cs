using System.Text.Json;
using IoNet.Solana.Addresses;
using IoNet.Solana.Wire;
using IoNet.Solana.Keys;
using IoNet.TestSupport;

namespace IoNet.Solana.Tests.Vectors;

/// <summary>../shared/vectors/solana.json: computed independently (Python) and cross-checked with web3.js.</summary>
public sealed class SharedVectorTests
{
    private static readonly JsonElement Vectors =
        JsonDocument.Parse(File.ReadAllText(RepoPaths.SharedFile("vectors", "solana.json"))).RootElement;

    private static IEnumerable<JsonElement> Cases(string name) => Vectors.GetProperty(name).EnumerateArray();

    private static byte[][] Seeds(JsonElement c) =>
        [.. c.GetProperty("seeds_hex").EnumerateArray().Select(s => Convert.FromHexString(s.GetString()!))];

    [Fact]
    public void every_shortvec_vector_encodes_and_decodes()
    {
        var count = 0;
        foreach (var c in Cases("shortvec"))
        {
            var value = c.GetProperty("value").GetInt32();
            var bytes = Convert.FromHexString(c.GetProperty("hex").GetString()!);
            ShortVec.Encode(value).ShouldBe(bytes, $"encode {value}");
            var offset = 0;
            ShortVec.Read(bytes, ref offset).ShouldBe(value);
            offset.ShouldBe(bytes.Length);
            count++;
        }
        count.ShouldBeGreaterThan(5);
    }

    [Fact]
    public void every_create_program_address_vector_matches()
    {
        foreach (var c in Cases("create_program_address"))
        {
            var program = PublicKey.Parse(c.GetProperty("program").GetString()!);
            ProgramAddress.Create(Seeds(c), program).ToString().ShouldBe(c.GetProperty("address").GetString());
        }
    }

    [Fact]
    public void every_find_program_address_vector_matches_with_its_bump()
    {
        foreach (var c in Cases("find_program_address"))
        {
            var program = PublicKey.Parse(c.GetProperty("program").GetString()!);
            var (address, bump) = ProgramAddress.Find(Seeds(c), program);
            address.ToString().ShouldBe(c.GetProperty("address").GetString());
            bump.ShouldBe(c.GetProperty("bump").GetByte());
            address.IsOnCurve.ShouldBeFalse();
        }
    }

    [Fact]
    public void every_associated_token_account_vector_matches_for_token_and_token_2022()
    {
        var programs = new HashSet<string>();
        foreach (var c in Cases("ata"))
        {
            var tokenProgram = PublicKey.Parse(c.GetProperty("token_program").GetString()!);
            programs.Add(tokenProgram.ToString());
            var (address, bump) = AssociatedTokenAccount.FindWithBump(
                PublicKey.Parse(c.GetProperty("owner").GetString()!), PublicKey.Parse(c.GetProperty("mint").GetString()!), tokenProgram);
            address.ToString().ShouldBe(c.GetProperty("ata").GetString());
            bump.ShouldBe(c.GetProperty("bump").GetByte());
        }
        programs.ShouldBe([WellKnownPrograms.Token.ToString(), WellKnownPrograms.Token2022.ToString()], ignoreOrder: true);
    }

    [Fact]
    public void the_signed_transfer_vectors_keypair_is_its_fee_payer()
    {
        var transfer = Vectors.GetProperty("signed_legacy_transfer");
        using var keypair = Keypair.FromSeed(Convert.FromHexString(transfer.GetProperty("private_key_seed_hex").GetString()!));
        keypair.PublicKey.ToString().ShouldBe(transfer.GetProperty("fee_payer").GetString());
        Signature.Parse(transfer.GetProperty("signature").GetString()!).Bytes.Length.ShouldBe(64);
    }
}
