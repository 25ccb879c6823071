using System.Text.Json;
using IoNet.Solana.Addresses;
using IoNet.Solana.Wire;
using IoNet.Solana.Keys;
using IoNet.TestSupport;

namespace IoNet.Solana.Tests.Vectors;

/// <summary>tests/Fixtures/vectors/solana.json: computed independently (Python) and cross-checked with web3.js.</summary>
public sealed class IndependentVectorTests
{
    private static readonly JsonElement Vectors =
        JsonDocument.Parse(File.ReadAllText(RepoPaths.FixtureFile("vectors", "solana.json"))).RootElement;

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

    // micro-sol-signer's expected signed bytes (test/basic.test.ts): seed 0x08 x 32 sends 49 lamports to J3dxNj7n...
    private const string MicroSolSignerSigned =
        "AVuErQHaXv0SG0/PchunfxHKt8wMRfMZzqV0tkC5qO6owYxWU2v871AoWywGoFQr4z+q/7mE8lIufNl/kxj+nQ0BAAEDE5j2LG0aRXxRumpLXz29L2n8qTIWIY3ImX5Ba9F9k8r9Q5/Mtmcn8onFxt47xKj+XdXXd3C8j/FcPu7csUrz/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAxJrndgN4IFTxep3s6kO0ROug7bEsbx0xxuDkqEvwUusBAgIAAQwCAAAAMQAAAAAAAAA=";

    [Theory]
    [InlineData(IoNet.Solana.Transactions.KeyOrdering.SolanaSdk)]
    [InlineData(IoNet.Solana.Transactions.KeyOrdering.FirstSeen)]
    public void the_signed_legacy_transfer_is_rebuilt_and_signed_byte_for_byte(IoNet.Solana.Transactions.KeyOrdering ordering)
    {
        var transfer = Vectors.GetProperty("signed_legacy_transfer");
        using var payer = Keypair.FromSeed(Convert.FromHexString(transfer.GetProperty("private_key_seed_hex").GetString()!));
        payer.PublicKey.ToString().ShouldBe(transfer.GetProperty("fee_payer").GetString());
        var data = new byte[12];
        data[0] = 2; // System Program: Transfer
        BitConverter.TryWriteBytes(data.AsSpan(4), 49UL).ShouldBeTrue();
        var instruction = new IoNet.Solana.Transactions.TransactionInstruction(WellKnownPrograms.System,
            [IoNet.Solana.Transactions.AccountMeta.Writable(payer.PublicKey, isSigner: true), IoNet.Solana.Transactions.AccountMeta.Writable(PublicKey.Parse("J3dxNj7nDRRqRRXuEMynDG57DkZK4jYRuv3Garmb1i99"))], data);
        var message = IoNet.Solana.Transactions.MessageCompiler.CompileLegacy(payer.PublicKey, [instruction], Blockhash.Parse("EETubP5AKHgjPAhzPAFcb8BAY1hMH639CWCFTqi3hq1k"), ordering);

        var tx = new IoNet.Solana.Transactions.Transaction(message).Sign(payer);

        tx.Id.ToString().ShouldBe(transfer.GetProperty("signature").GetString());
        Convert.ToBase64String(tx.Serialize()).ShouldBe(MicroSolSignerSigned);
        IoNet.Solana.Transactions.Transaction.FromBase64(MicroSolSignerSigned).VerifySignatures().ShouldBeTrue();
    }
}
