using System.Diagnostics;
using System.Text.RegularExpressions;
using IoNet.Solana.Messages;
using IoNet.Solana.Tests.Vectors;
using IoNet.Solana.Transactions;
using IoNet.Solana.Wire;

namespace IoNet.Solana.Tests.Fuzz;

/// <summary>
/// 100k mutations of the web3.js transactions (issue 3, acceptance 5): each parses or throws SolanaException, nothing
/// else escapes, and whatever parses writes back exactly the bytes it came from.
/// </summary>
public sealed class TransactionFuzzTests
{
    private const int Iterations = 100_000;

    private static readonly byte[] Edges = [0x00, 0x01, 0x02, 0x03, 0x7f, 0x80, 0x81, 0xfe, 0xff];

    private static readonly (byte[] Bytes, int[] ShortVecs, int VersionOffset)[] Seeds =
        [.. Web3Vectors.All.Select(c => (c.Transaction, ShortVecOffsets(c.Transaction, out var version), version))];

    [Fact]
    public void a_hundred_thousand_mutated_transactions_parse_exactly_or_throw_only_the_sdk_exception()
    {
        var random = new Random(20250611);
        var watch = Stopwatch.StartNew();
        int parsed = 0, refused = 0;
        var reasons = new Dictionary<string, int>();
        for (var i = 0; i < Iterations; i++)
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            var seed = Seeds[random.Next(Seeds.Length)];
            var input = seed.Bytes;
            for (var m = random.Next(1, 4); m > 0; m--)
                input = Mutate(input, seed, random);
            try
            {
                var transaction = Transaction.Deserialize(input);
                parsed++;
                CheckRoundTrip(transaction, input);
            }
            catch (SolanaException e)
            {
                refused++;
                var reason = string.Join(' ', Regex.Replace(e.Message, "[0-9]+", "#").Split(' ').Take(4));
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name} escaped for {Convert.ToHexString(input)}: {e}");
            }
        }
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{parsed} parsed, {refused} refused in {watch.ElapsedMilliseconds} ms; " + string.Join("; ", reasons.OrderByDescending(r => r.Value).Select(r => $"{r.Key}: {r.Value}")));
        parsed.ShouldBeGreaterThan(1000, "the mutations should leave a fair share parseable");
        refused.ShouldBeGreaterThan(Iterations / 2);
        reasons.Count.ShouldBeGreaterThan(8, string.Join("; ", reasons.Select(r => $"{r.Key}: {r.Value}")));
    }

    private static void CheckRoundTrip(Transaction transaction, byte[] input)
    {
        var output = transaction.Serialize(requireAllSignatures: false);
        if (!output.AsSpan().SequenceEqual(input))
            Assert.Fail($"Re-serialized bytes differ for {Convert.ToHexString(input)}");
        // The structure alone (not the kept bytes) must write the same message: only canonical input parses.
        var m = transaction.Message;
        var rebuilt = new Message(m.Version, m.Header, [.. m.AccountKeys], m.RecentBlockhash, [.. m.Instructions], [.. m.AddressTableLookups]);
        if (!rebuilt.Bytes.SequenceEqual(m.Bytes))
            Assert.Fail($"Rebuilt message differs for {Convert.ToHexString(input)}");
        if (!new Transaction(rebuilt, transaction.Signatures).Serialize(requireAllSignatures: false).AsSpan().SequenceEqual(input))
            Assert.Fail($"Rebuilt transaction differs for {Convert.ToHexString(input)}");
    }

    private static byte[] Mutate(byte[] bytes, (byte[] Bytes, int[] ShortVecs, int VersionOffset) seed, Random random)
    {
        var list = new List<byte>(bytes);
        int At() => random.Next(Math.Max(1, list.Count));
        switch (random.Next(8))
        {
            case 0 when list.Count > 0: // bit flip
                var bit = random.Next(list.Count * 8);
                list[bit / 8] ^= (byte)(1 << (bit % 8));
                break;
            case 1 when list.Count > 0: // byte set, biased to the values parsers trip on
                list[At()] = random.Next(3) == 0 ? (byte)random.Next(256) : Edges[random.Next(Edges.Length)];
                break;
            case 2: // truncation
                var cut = random.Next(list.Count + 1);
                list.RemoveRange(cut, list.Count - cut);
                break;
            case 3: // insertion
                var insert = new byte[random.Next(1, 5)];
                random.NextBytes(insert);
                list.InsertRange(Math.Min(At(), list.Count), insert);
                break;
            case 4 when list.Count > 0: // deletion
                var at = At();
                list.RemoveRange(at, Math.Min(random.Next(1, 9), list.Count - at));
                break;
            case 5 or 6: // a shortvec length edited: off by one, extreme, or re-encoded non-canonically
                var offset = seed.ShortVecs[random.Next(seed.ShortVecs.Length)];
                if (offset >= list.Count)
                    break;
                switch (random.Next(5))
                {
                    case 0: list[offset]++; break;
                    case 1: list[offset]--; break;
                    case 2: list[offset] = 0; break;
                    case 3: list[offset] |= 0x80; list.Insert(offset + 1, 0x00); break; // overlong
                    default: list[offset] = 0xff; list.InsertRange(offset + 1, [0xff, 0x03]); break; // 65535
                }
                break;
            default: // the version byte
                if (seed.VersionOffset < list.Count)
                    list[seed.VersionOffset] = random.Next(2) == 0 ? (byte)(0x80 | random.Next(128)) : (byte)random.Next(256);
                break;
        }
        return [.. list];
    }

    /// <summary>Where the length prefixes of a well-formed transaction sit, and where its message starts.</summary>
    private static int[] ShortVecOffsets(byte[] bytes, out int versionOffset)
    {
        var offsets = new List<int>();
        var offset = 0;
        // Skip(n) after Vec(): a compound "offset += Vec()" would read offset before Vec moves it.
        int Vec()
        {
            offsets.Add(offset);
            return ShortVec.Read(bytes, ref offset);
        }
        void Skip(int n) => offset += n;
        Skip(Vec() * 64);
        versionOffset = offset;
        var v0 = bytes[offset] >= 0x80;
        Skip((v0 ? 1 : 0) + 3);
        Skip(Vec() * 32 + 32);
        for (var i = Vec(); i > 0; i--)
        {
            Skip(1);
            Skip(Vec());
            Skip(Vec());
        }
        if (v0)
        {
            for (var i = Vec(); i > 0; i--)
            {
                Skip(32);
                Skip(Vec());
                Skip(Vec());
            }
        }
        offset.ShouldBe(bytes.Length);
        return [.. offsets];
    }
}
