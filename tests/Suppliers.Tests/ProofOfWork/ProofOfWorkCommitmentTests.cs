using System.Text;
using IoNet.Suppliers.ProofOfWork;
using Rfc8032 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace IoNet.Suppliers.Tests.ProofOfWork;

public sealed class ProofOfWorkCommitmentTests
{
    [Fact]
    public void the_signed_message_is_tag_then_challenge_then_root_then_elapsed_milliseconds()
    {
        var challenge = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var root = Reference.Seed(0x40);

        var message = ProofOfWorkCommitment.SignedMessage(challenge, root, 0x0102030405);

        message.Length.ShouldBe(76);
        Encoding.ASCII.GetString(message, 0, 20).ShouldBe("ionet:v1:pow:commit:");
        Convert.ToHexStringLower(message, 20, 16).ShouldBe("0f8fad5bd9cb469fa16570867728950e");
        message[36..68].ShouldBe(root.ToArray());
        Convert.ToHexStringLower(message, 68, 8).ShouldBe("0504030201000000");
    }

    [Fact]
    public void the_commitment_signature_verifies_with_an_independent_ed25519_implementation()
    {
        var device = ProofOfWorkExchange.Key(9);
        var commitment = ProofOfWorkCommitment.Sign(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), Reference.Seed(1), 42, device);
        var message = ProofOfWorkCommitment.SignedMessage(commitment.Challenge, commitment.Root, commitment.ElapsedMilliseconds);

        Rfc8032.Verify(commitment.Signature.ToArray(), 0, device.PublicKey.Bytes.ToArray(), 0, message, 0, message.Length).ShouldBeTrue();
        commitment.IsSignedBy(device.PublicKey).ShouldBeTrue();
        commitment.IsSignedBy(ProofOfWorkExchange.Key(8).PublicKey).ShouldBeFalse();
    }

    [Fact]
    public void a_row_leaf_is_sha256_of_zero_index_and_values_little_endian()
    {
        var leaf = OpenedRow.LeafHash(2, [1, 0x7FFF_FFFE]);

        leaf.ToArray().ShouldBe(System.Security.Cryptography.SHA256.HashData(
            Convert.FromHexString("00" + "02000000" + "01000000" + "feffff7f")));
    }
}
