using IoNet.Programs.Anchor.Events;
using IoNet.Solana.Keys;

namespace IoNet.Programs.Tests.Anchor;

public sealed class ProgramLogsTests
{
    private const string A = "FCYnLMvWhQonEFq3spmjJPjMMk2dnkE28JgpD9KL5kkJ";
    private const string B = "11111111111111111111111111111111";
    private const string C = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";

    [Fact]
    public void log_return_and_consumed_lines_do_not_disturb_the_stack()
    {
        var lines = ProgramLogs.DataLines([
            $"Program {A} invoke [1]",
            "Program log: Instruction: X",
            $"Program {B} invoke [2]",
            "Program data: AQ==",
            $"Program return: {B} AQ==",
            $"Program {B} consumed 10 of 100 compute units",
            $"Program {B} success",
            "Program data: Ag==",
            $"Program {A} failed: custom program error: 0x1",
            "Program data: Aw==",
        ]);
        lines.Select(l => (l.LineIndex, l.ProgramId?.ToString(), l.Depth)).ShouldBe([(3, B, 2), (7, A, 1), (9, null, 0)]);
    }

    [Fact]
    public void a_truncated_log_keeps_the_last_known_program_and_an_unbalanced_stack_resynchronises()
    {
        var lines = ProgramLogs.DataLines([
            $"Program {A} invoke [1]",
            $"Program {B} invoke [2]",
            "Log truncated",
            // The next instruction starts at depth 1 without the earlier ones returning.
            $"Program {C} invoke [1]",
            "Program data: AQ==",
            // A depth jump: the missing caller is unknown.
            $"Program {A} invoke [3]",
            "Program data: Ag==",
            $"Program {A} success",
            "Program data: Aw==",
            $"Program {B} success",
            "Program data: BA==",
            null,
            "Program data:",
        ]);
        lines.Select(l => (l.LineIndex, l.ProgramId?.ToString(), l.Depth)).ShouldBe(
            [(4, C, 1), (6, A, 3), (8, null, 2), (10, C, 1)]);
    }

    [Fact]
    public void several_slices_of_one_data_line_are_joined()
    {
        var line = ProgramLogs.DataLines([$"Program {A} invoke [1]", "Program data: AQI= AwQ="]).ShouldHaveSingleItem();
        line.Decode().ShouldBe(new byte[] { 1, 2, 3, 4 });
        line.ProgramId.ShouldBe(PublicKey.Parse(A));
    }
}
