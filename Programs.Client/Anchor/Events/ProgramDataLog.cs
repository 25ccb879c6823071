using IoNet.Solana.Keys;

namespace IoNet.Programs.Anchor.Events;

/// <summary>
/// A `Program data: ...` log line (sol_log_data) and the program that was executing when it was written.
/// <see cref="ProgramId"/> is null when the invoke stack was unknown at that line (truncated or unbalanced logs).
/// </summary>
public sealed record ProgramDataLog(int LineIndex, PublicKey? ProgramId, int Depth, string Payload)
{
    /// <summary>The logged bytes. sol_log_data writes each slice as base64, separated by spaces; they are concatenated.</summary>
    public byte[] Decode()
    {
        try
        {
            return [.. Payload.Split(' ', StringSplitOptions.RemoveEmptyEntries).SelectMany(Convert.FromBase64String)];
        }
        catch (FormatException e)
        {
            throw new AnchorCoderException($"Log line {LineIndex}: `Program data:` is not valid base64.", e);
        }
    }
}
