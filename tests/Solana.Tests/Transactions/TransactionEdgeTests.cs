using IoNet.Solana.Keys;
using IoNet.Solana.Messages;
using IoNet.Solana.Tests.Vectors;
using IoNet.Solana.Transactions;

namespace IoNet.Solana.Tests.Transactions;

/// <summary>Versions, signature counts and the packet limit: refused with the SDK's exception and a clear message.</summary>
public sealed class TransactionEdgeTests
{
    private static readonly Keypair Payer = Keypair.FromSeed(Enumerable.Repeat((byte)9, 32).ToArray());
    private static readonly PublicKey Program = PublicKey.Parse("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");
    private static readonly Blockhash Hash = Blockhash.Parse("EkSnNWid2cvwEVnVx9aBqawnmiCNiDgp3gUdkDPTKN1N");

    private static Transaction Memo(int dataLength, bool v0 = false)
    {
        TransactionInstruction[] instructions = [new(Program, [], new byte[dataLength])];
        var message = v0
            ? MessageCompiler.CompileV0(Payer.PublicKey, instructions, Hash)
            : MessageCompiler.CompileLegacy(Payer.PublicKey, instructions, Hash);
        return new Transaction(message).Sign(Payer);
    }

    private static Web3Case FirstV0 => Web3Vectors.All.First(c => c.IsV0);

    [Theory]
    [InlineData(0x81, 1)]
    [InlineData(0x82, 2)]
    [InlineData(0xff, 127)]
    public void an_unknown_message_version_is_refused_naming_it(int prefix, int version)
    {
        var message = FirstV0.Message.ToArray();
        message[0] = (byte)prefix;
        Should.Throw<SolanaException>(() => Message.Deserialize(message)).Message.ShouldContain($"version {version}");

        var transaction = FirstV0.Transaction.ToArray();
        transaction[1 + 64 * FirstV0.Signatures.Length] = (byte)prefix;
        Should.Throw<SolanaException>(() => Transaction.Deserialize(transaction)).Message.ShouldContain($"Unsupported message version {version}");
    }

    [Fact]
    public void a_signature_count_that_does_not_match_the_header_is_refused()
    {
        var bytes = Memo(10).Serialize();
        bytes[0].ShouldBe((byte)1);
        byte[] two = [2, .. bytes[1..65], .. bytes[1..65], .. bytes[65..]];
        Should.Throw<SolanaException>(() => Transaction.Deserialize(two)).Message.ShouldContain("carries 2 signatures but its message requires 1");
        byte[] none = [0, .. bytes[65..]];
        Should.Throw<SolanaException>(() => Transaction.Deserialize(none)).Message.ShouldContain("carries 0 signatures");
        var message = Memo(10).Message;
        Should.Throw<SolanaException>(() => new Transaction(message, [Signature.Empty, Signature.Empty])).Message.ShouldContain("needs 1 signatures, 2 were given");
    }

    [Fact]
    public void a_transaction_of_exactly_1232_bytes_serializes_and_one_of_1233_is_refused()
    {
        // 1 + 64 signature bytes, then a legacy message of 3 + 1 + 2·32 + 32 + 1 + 1 + 1 + 2 (shortvec) + data bytes.
        var fits = Memo(1062);
        fits.SerializedLength.ShouldBe(Transaction.PacketDataSize);
        var bytes = fits.Serialize();
        bytes.Length.ShouldBe(1232);
        Transaction.Deserialize(bytes).VerifySignatures().ShouldBeTrue();

        var over = Memo(1063);
        over.SerializedLength.ShouldBe(1233);
        Should.Throw<SolanaException>(() => over.Serialize()).Message.ShouldBe("The transaction is 1233 bytes; the limit is 1232.");
        Should.Throw<SolanaException>(() => over.ToBase64()).Message.ShouldContain("limit is 1232");
        byte[] oversize = [.. bytes, 0];
        Should.Throw<SolanaException>(() => Transaction.Deserialize(oversize)).Message.ShouldContain("at most 1232 bytes, not 1233");
        // v0 adds its version prefix and an empty lookup list: two bytes more.
        Should.Throw<SolanaException>(() => Memo(1061, v0: true).Serialize()).Message.ShouldContain("1233 bytes");
        Memo(1060, v0: true).Serialize().Length.ShouldBe(1232);
    }

    [Fact]
    public void trailing_bytes_and_truncation_are_refused()
    {
        var bytes = Memo(10).Serialize();
        Should.Throw<SolanaException>(() => Transaction.Deserialize([.. bytes, 0])).Message.ShouldContain("1 unexpected bytes");
        for (var length = 0; length < bytes.Length; length++)
            Should.Throw<SolanaException>(() => Transaction.Deserialize(bytes.AsSpan(0, length)));
        Should.Throw<SolanaException>(() => Transaction.FromBase64("not base64!")).Message.ShouldContain("base64");
    }

    [Fact]
    public void signing_with_a_key_that_is_not_a_signer_or_leaving_one_out_is_refused()
    {
        using var stranger = Keypair.FromSeed(new byte[32]);
        var transaction = new Transaction(Memo(1).Message);
        Should.Throw<SolanaException>(() => transaction.Sign(stranger)).Message.ShouldContain("is not a required signer");
        Should.Throw<SolanaException>(() => transaction.Sign()).Message.ShouldContain("Missing signature");
        Should.Throw<SolanaException>(() => transaction.Serialize()).Message.ShouldContain("not fully signed");
        transaction.Serialize(requireAllSignatures: false).Length.ShouldBe(transaction.SerializedLength);
    }

    [Fact]
    public void a_legacy_message_refuses_lookups_and_sanitize_refuses_bad_indexes()
    {
        var lookup = new MessageAddressTableLookup(Program, new byte[] { 0 }, ReadOnlyMemory<byte>.Empty);
        var header = new MessageHeader(1, 0, 1);
        PublicKey[] keys = [Payer.PublicKey, Program];
        Should.Throw<SolanaException>(() => new Message(MessageVersion.Legacy, header, keys, Hash, [], [lookup]));
        Should.Throw<SolanaException>(() => new Message(MessageVersion.Legacy, header, keys, Hash, [new CompiledInstruction(0, default, default)]))
            .Message.ShouldContain("program index 0");
        Should.Throw<SolanaException>(() => new Message(MessageVersion.Legacy, header, keys, Hash, [new CompiledInstruction(1, new byte[] { 2 }, default)]))
            .Message.ShouldContain("account index 2");
        Should.Throw<SolanaException>(() => new Message(MessageVersion.Legacy, new MessageHeader(0, 0, 0), keys, Hash, []))
            .Message.ShouldContain("at least one signer");
        Should.Throw<SolanaException>(() => new Message(MessageVersion.Legacy, new MessageHeader(1, 1, 0), keys, Hash, []))
            .Message.ShouldContain("fee payer must be a writable signer");
    }
}
