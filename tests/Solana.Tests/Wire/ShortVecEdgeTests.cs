using IoNet.Solana.Wire;

namespace IoNet.Solana.Tests.Wire;

public sealed class ShortVecEdgeTests
{
    [Fact]
    public void every_u16_round_trips_in_its_canonical_length()
    {
        for (var value = 0; value <= ushort.MaxValue; value++)
        {
            var bytes = ShortVec.Encode(value);
            bytes.Length.ShouldBe(ShortVec.EncodedLength(value));
            var offset = 0;
            ShortVec.Read(bytes, ref offset).ShouldBe(value);
            offset.ShouldBe(bytes.Length);
        }
    }

    [Theory]
    [InlineData("8000", "Non-canonical")]
    [InlineData("808000", "Non-canonical")]
    [InlineData("ff8000", "Non-canonical")]
    [InlineData("ffff04", "overflows u16")]
    [InlineData("ffff7f", "overflows u16")]
    [InlineData("80808000", "overflows u16")]
    [InlineData("ffffff7f", "overflows u16")]
    [InlineData("ffff83", "overflows u16")]
    [InlineData("80", "Truncated")]
    [InlineData("ffff", "Truncated")]
    [InlineData("", "Truncated")]
    public void non_canonical_overflowing_and_truncated_forms_are_refused(string hex, string reason)
    {
        var bytes = Convert.FromHexString(hex);
        Should.Throw<SolanaException>(() =>
        {
            var offset = 0;
            ShortVec.Read(bytes, ref offset);
        }).Message.ShouldContain(reason);
    }

    [Theory]
    [InlineData("ffff03", 65535)]
    [InlineData("808001", 16384)]
    [InlineData("ff7f", 16383)]
    [InlineData("8001", 128)]
    [InlineData("7f", 127)]
    [InlineData("00", 0)]
    public void the_canonical_edges_read_back(string hex, int value)
    {
        var offset = 0;
        ShortVec.Read(Convert.FromHexString(hex), ref offset).ShouldBe(value);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void lengths_outside_u16_cannot_be_written(int value) =>
        Should.Throw<SolanaException>(() => ShortVec.Encode(value)).Message.ShouldContain("0..65535");
}
