using System.Text.Json.Nodes;
using IoNet.Programs.Anchor;
using IoNet.Programs.Anchor.Events;

namespace IoNet.Programs.Tests.Anchor;

public sealed class MalformedInputTests
{
    private const string Idl = """
        {"address":"FCYnLMvWhQonEFq3spmjJPjMMk2dnkE28JgpD9KL5kkJ","metadata":{"name":"t","version":"0","spec":"0.1.0"},
         "instructions":[],
         "events":[{"name":"E","discriminator":[1,2,3,4,5,6,7,8]}],
         "types":[
           {"name":"E","type":{"kind":"struct","fields":[{"name":"v","type":{"defined":{"name":"V"}}}]}},
           {"name":"V","type":{"kind":"enum","variants":[{"name":"A"},{"name":"B","fields":["bool"]},{"name":"C","fields":[{"name":"s","type":"string"}]},
             {"name":"D","fields":[{"option":"u8"}]},{"name":"F","fields":[{"coption":"u32"}]},{"name":"G","fields":[{"vec":"u64"}]}]}},
           {"name":"Loop","type":{"kind":"struct","fields":[{"name":"next","type":{"defined":{"name":"Loop"}}}]}},
           {"name":"Zeros","type":{"kind":"struct","fields":[{"name":"many","type":{"array":[{"defined":{"name":"Nothing"}},2000000000]}}]}},
           {"name":"Nothing","type":{"kind":"struct","fields":[]}}
         ]}
        """;

    private static readonly AnchorCoder Coder = AnchorCoder.FromJson(Idl);

    private static byte[] Event(params byte[] body) => [1, 2, 3, 4, 5, 6, 7, 8, .. body];

    [Theory]
    [InlineData("")]
    [InlineData("01")]
    [InlineData("0102")]
    [InlineData("09")]
    [InlineData("02ffffffff")]
    [InlineData("0203000000e29c")]
    [InlineData("0203000000c328ff")]
    [InlineData("0302")]
    [InlineData("0402000000")]
    [InlineData("04010000")]
    [InlineData("05ffffffff")]
    [InlineData("050100000001")]
    [InlineData("0000")]
    public void every_malformed_event_body_raises_the_coder_exception(string hex)
    {
        Should.Throw<AnchorCoderException>(() => Coder.DecodeEvent(Event(Convert.FromHexString(hex))));
    }

    [Fact]
    public void good_bodies_of_each_variant_decode()
    {
        Coder.DecodeEvent(Event(0)).Data.ShouldBeJson(JsonNode.Parse("""{"v":{"A":{}}}"""));
        Coder.DecodeEvent(Event(1, 1)).Data.ShouldBeJson(JsonNode.Parse("""{"v":{"B":{"0":true}}}"""));
        Coder.DecodeEvent(Event(3, 0)).Data.ShouldBeJson(JsonNode.Parse("""{"v":{"D":{"0":null}}}"""));
        Coder.DecodeEvent(Event(4, 0, 0, 0, 0, 0, 0, 0, 0)).Data.ShouldBeJson(JsonNode.Parse("""{"v":{"F":{"0":null}}}"""));
        Coder.DecodeEvent(Event(4, 1, 0, 0, 0, 9, 0, 0, 0)).Data.ShouldBeJson(JsonNode.Parse("""{"v":{"F":{"0":9}}}"""));
        Coder.EncodeEvent("E", JsonNode.Parse("""{"v":{"F":{"0":null}}}""")!).ShouldBe(Event(4, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    [Fact]
    public void an_unknown_discriminator_or_a_short_buffer_raises_the_coder_exception()
    {
        Should.Throw<AnchorCoderException>(() => Coder.DecodeEvent(new byte[] { 9, 9, 9, 9, 9, 9, 9, 9, 0 }));
        Should.Throw<AnchorCoderException>(() => Coder.DecodeEvent(new byte[] { 1, 2, 3 }));
        Should.Throw<AnchorCoderException>(() => Coder.DecodeInstruction(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
        Should.Throw<AnchorCoderException>(() => Coder.DecodeAccount(new byte[16]));
    }

    [Fact]
    public void recursive_and_absurd_types_raise_the_coder_exception_instead_of_running_away()
    {
        Should.Throw<AnchorCoderException>(() => Coder.DecodeType("Loop", new byte[100]));
        Should.Throw<AnchorCoderException>(() => Coder.DecodeType("Zeros", new byte[1]));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"address":"x","metadata":{"name":"t"},"instructions":[{"name":"a","accounts":[],"args":[{"name":"x","type":"u7"}]}]}""")]
    [InlineData("""{"address":"x","metadata":{"name":"t"},"instructions":[{"name":"a","discriminator":[256],"accounts":[],"args":[]}]}""")]
    [InlineData("""{"address":"x","metadata":{"name":"t"},"events":[{"name":"Missing","discriminator":[1]}]}""")]
    [InlineData("""{"address":"x","metadata":{"name":"t"},"errors":[{"code":"1","name":"e"}]}""")]
    [InlineData("""{"name":"legacy","instructions":[{"name":"a","accounts":[{"name":"b","isMut":"yes"}],"args":[]}]}""")]
    [InlineData("""{"address":"notakey","metadata":{"name":"t"}}""")]
    public void a_malformed_idl_raises_the_coder_exception(string json)
    {
        Should.Throw<AnchorCoderException>(() => AnchorCoder.FromJson(json));
    }

    [Fact]
    public void values_that_do_not_fit_their_types_raise_the_coder_exception_when_encoding()
    {
        Should.Throw<AnchorCoderException>(() => Coder.EncodeEvent("E", JsonNode.Parse("""{"v":{"Z":{}}}""")!));
        Should.Throw<AnchorCoderException>(() => Coder.EncodeEvent("E", JsonNode.Parse("""{"v":{"B":{"0":1}}}""")!));
        Should.Throw<AnchorCoderException>(() => Coder.EncodeEvent("E", JsonNode.Parse("""{"v":{"G":{"0":["-1"]}}}""")!));
        Should.Throw<AnchorCoderException>(() => Coder.EncodeEvent("E", JsonNode.Parse("""{"v":{"G":{"0":["18446744073709551616"]}}}""")!));
        Should.Throw<AnchorCoderException>(() => Coder.EncodeEvent("E", JsonNode.Parse("""{"v":{"G":{"0":[1.5]}}}""")!));
        Should.Throw<AnchorCoderException>(() => Coder.EncodeEvent("Nope", new JsonObject()));
        Coder.EncodeEvent("E", JsonNode.Parse("""{"v":{"G":{"0":["18446744073709551615", 7]}}}""")!)
            .ShouldBe(Event([5, 2, 0, 0, 0, .. Enumerable.Repeat((byte)0xff, 8), 7, 0, 0, 0, 0, 0, 0, 0]));
    }

    [Fact]
    public void a_bad_program_data_line_of_a_configured_program_raises_the_coder_exception_unless_lenient()
    {
        List<string?> logs = ["Program FCYnLMvWhQonEFq3spmjJPjMMk2dnkE28JgpD9KL5kkJ invoke [1]", "Program data: !!notbase64", "Program data: AQIDBAUGBwgA"];
        Should.Throw<AnchorCoderException>(() => new AnchorEventParser(Coder).ParseLogs(logs));
        new AnchorEventParser([Coder], strict: false).ParseLogs(logs).ShouldHaveSingleItem().Origin.ShouldBe(new AnchorEventOrigin.LogLine(2));
    }
}
