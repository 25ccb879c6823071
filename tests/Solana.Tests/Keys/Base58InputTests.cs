using IoNet.Solana.Keys;
using IoNet.Solana.Wire;

namespace IoNet.Solana.Tests.Keys;

public sealed class Base58InputTests
{
    [Theory]
    [InlineData("é")]
    [InlineData("11111111111111111111111111111111é")]
    [InlineData("0OIl")]
    [InlineData("🙂")]
    [InlineData(" 11111111111111111111111111111111")]
    public void characters_outside_the_alphabet_are_refused_not_crashed_on(string text)
    {
        PublicKey.TryParse(text, out _).ShouldBeFalse();
        Signature.TryParse(text, out _).ShouldBeFalse();
        Should.Throw<SolanaException>(() => PublicKey.Parse(text));
        Should.Throw<SolanaException>(() => Base58.Decode(text));
    }
}
