using IoNet.Suppliers.ProofOfWork;

namespace IoNet.Suppliers.Tests.ProofOfWork;

public sealed class ChaCha20Tests
{
    // RFC 8439 §2.3.2: key 00 01 … 1f, nonce 00 00 00 09 00 00 00 4a 00 00 00 00, block counter 1.
    private static readonly uint[] Rfc8439Block =
    [
        0xe4e7f110, 0x15593bd1, 0x1fdd0f50, 0xc47120a3, 0xc7f4d1c7, 0x0368c033, 0x9aaa2204, 0x4e6cd4c3,
        0x466482d2, 0x09aa9f07, 0x05d7c214, 0xa2028bd9, 0xd19c12b5, 0xb94e16de, 0xe883d0cb, 0x4e3c50a2,
    ];

    private static ChaCha20.KeyWords RfcKey() => ChaCha20.Key([.. Enumerable.Range(0, 32).Select(i => (byte)i)]);

    [Fact]
    public void the_block_function_gives_the_rfc_8439_test_vector()
    {
        var output = new uint[16];
        ChaCha20.Block(RfcKey(), 1, 0x09000000, 0x4a000000, 0, output);
        output.ShouldBe(Rfc8439Block);
    }

    [Fact]
    public void eight_lanes_give_the_same_words_as_eight_single_blocks()
    {
        var key = RfcKey();
        var eight = new uint[128];
        ChaCha20.Blocks8(key, 7, 1, 2, 3, eight);
        var one = new uint[16];
        for (uint j = 0; j < 8; j++)
        {
            ChaCha20.Block(key, 7 + j, 1, 2, 3, one);
            eight.AsSpan((int)j * 16, 16).ToArray().ShouldBe(one, $"block {j}");
        }
        ChaCha20.Blocks8(key, 1, 0x09000000, 0x4a000000, 0, eight);
        eight.AsSpan(0, 16).ToArray().ShouldBe(Rfc8439Block);
    }
}
