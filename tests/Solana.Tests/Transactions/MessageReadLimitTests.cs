using IoNet.Solana.Messages;
using IoNet.Solana.Transactions;

namespace IoNet.Solana.Tests.Transactions;

/// <summary>
/// A message's counts come from the bytes of whoever sent them: a few bytes that claim 65535 keys, instructions or
/// lookups are refused before anything is allocated for them.
/// </summary>
public sealed class MessageReadLimitTests
{
    private static readonly byte[] MaxCount = [0xFF, 0xFF, 0x03]; // short_vec 65535

    private static byte[] Bytes(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static readonly byte[] Header = [1, 0, 0];
    private static readonly byte[] OneKey = [1, .. new byte[32]];
    private static readonly byte[] Blockhash = new byte[32];

    public static TheoryData<string, string> HugeCounts() => new()
    {
        { "keys", Convert.ToHexString(Bytes(Header, MaxCount, new byte[40])) },
        { "instructions", Convert.ToHexString(Bytes(Header, OneKey, Blockhash, MaxCount, new byte[10])) },
        { "lookups", Convert.ToHexString(Bytes([0x80], Header, [2, .. new byte[64]], Blockhash, [1, 1, 0, 0], MaxCount, new byte[10])) },
    };

    [Theory]
    [MemberData(nameof(HugeCounts))]
    public void a_huge_count_in_a_short_message_is_refused_without_allocating_for_it(string what, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        Should.Throw<SolanaException>(() => Message.Deserialize(bytes)); // warm up: nothing below is first-call cost
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Should.Throw<SolanaException>(() => Message.Deserialize(bytes));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        error.Message.ShouldStartWith("Truncated message: 65535 ");
        error.Message.ShouldContain(what switch { "keys" => "account keys", "lookups" => "address table lookups", _ => "instructions" });
        // An array for 65535 keys or instructions alone would be 512 KiB.
        allocated.ShouldBeLessThan(64 * 1024, $"{what}: {allocated} bytes allocated");
    }

    [Fact]
    public void a_transaction_with_a_huge_count_in_its_message_is_refused()
    {
        byte[] bytes = [1, .. new byte[64], .. Header, .. MaxCount, .. new byte[40]];
        Should.Throw<SolanaException>(() => Transaction.Deserialize(bytes)).Message.ShouldContain("65535 account keys");
    }
}
