using SimpleBase;

namespace IoNet.Solana.Tests.Rpc;

/// <summary>Minimal test-only wire decoder (shortvec, legacy and v0 messages) to compare base64 with json encodings.</summary>
internal sealed record WireTransaction(
    IReadOnlyList<string> Signatures,
    int? Version,
    (int Required, int ReadonlySigned, int ReadonlyUnsigned) Header,
    IReadOnlyList<string> AccountKeys,
    string RecentBlockhash,
    IReadOnlyList<(int ProgramIdIndex, int[] Accounts, byte[] Data)> Instructions,
    IReadOnlyList<(string Key, byte[] Writable, byte[] Readonly)> Lookups)
{
    public static WireTransaction Decode(byte[] bytes)
    {
        var p = 0;
        var signatures = Enumerable.Range(0, ShortVec(bytes, ref p)).Select(_ => Base58.Bitcoin.Encode(Take(bytes, ref p, 64))).ToList();
        int? version = null;
        if ((bytes[p] & 0x80) != 0)
            version = bytes[p++] & 0x7f;
        var header = (bytes[p], bytes[p + 1], bytes[p + 2]);
        p += 3;
        var keys = Enumerable.Range(0, ShortVec(bytes, ref p)).Select(_ => Base58.Bitcoin.Encode(Take(bytes, ref p, 32))).ToList();
        var blockhash = Base58.Bitcoin.Encode(Take(bytes, ref p, 32));
        var instructions = new List<(int, int[], byte[])>();
        var count = ShortVec(bytes, ref p);
        for (var i = 0; i < count; i++)
        {
            int program = bytes[p++];
            var accounts = Take(bytes, ref p, ShortVec(bytes, ref p)).Select(b => (int)b).ToArray();
            var data = Take(bytes, ref p, ShortVec(bytes, ref p));
            instructions.Add((program, accounts, data));
        }
        var lookups = new List<(string, byte[], byte[])>();
        if (version is not null)
        {
            var n = ShortVec(bytes, ref p);
            for (var i = 0; i < n; i++)
            {
                var key = Base58.Bitcoin.Encode(Take(bytes, ref p, 32));
                var w = Take(bytes, ref p, ShortVec(bytes, ref p));
                var r = Take(bytes, ref p, ShortVec(bytes, ref p));
                lookups.Add((key, w, r));
            }
        }
        if (p != bytes.Length)
            throw new InvalidOperationException($"{bytes.Length - p} trailing bytes");
        return new WireTransaction(signatures, version, header, keys, blockhash, instructions, lookups);
    }

    private static byte[] Take(byte[] bytes, ref int p, int n)
    {
        var slice = bytes.AsSpan(p, n).ToArray();
        p += n;
        return slice;
    }

    private static int ShortVec(byte[] bytes, ref int p)
    {
        int value = 0, shift = 0;
        while (true)
        {
            var b = bytes[p++];
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
            shift += 7;
        }
    }
}
