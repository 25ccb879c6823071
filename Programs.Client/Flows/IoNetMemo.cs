using System.Globalization;

namespace IoNet.Programs.Flows;

/// <summary>The io.net flow a memo names (docs/onchain.md); ids are Guids, amounts integers.</summary>
public abstract record IoNetMemo
{
    public const string Prefix = "ionet:v1:";

    public abstract string Text { get; }

    public override string ToString() => Text;

    /// <summary>The memo's flow, or null when the text is not an IoNet memo (then it is simply ignored).</summary>
    public static IoNetMemo? TryParse(string? text)
    {
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
            return null;
        var parts = text[Prefix.Length..].Split(':');
        return parts switch
        {
            ["buy", var rate] when U64(rate) is { } r => new BuyMemo(r),
            ["buy", var rate, var quote] when U64(rate) is { } r && Id(quote) is { } q => new BuyMemo(r, q),
            ["credits", var burn, var io, var rate] when burn.Length is > 0 and <= 90 && U64(io) is { } i && U64(rate) is { } r => new CreditsMemo(burn, i, r),
            ["fund", var id] when Id(id) is { } g => new FundMemo(g),
            ["settle", var id] when Id(id) is { } g => new SettleMemo(g),
            ["refund", var id] when Id(id) is { } g => new RefundMemo(g),
            ["reward", var block, var device] when U64(block) is { } b && Id(device) is { } d => new RewardMemo(b, d),
            ["stake", var device] when Id(device) is { } d => new StakeMemo(d),
            ["unstake", var device] when Id(device) is { } d => new UnstakeMemo(d),
            ["slash", var device, var staker] when Id(device) is { } d && staker.Length is > 0 and <= 44 => new SlashMemo(d, staker),
            ["fee", var period] when period.Length > 0 => new FeeMemo(period),
            ["rewardroot", var block, var root, var count, var total]
                when U64(block) is { } b && RewardRootMemo.IsRootHex(root) && U64(count) is { } c && c > 0 && U64(total) is { } t =>
                new RewardRootMemo(b, root, c, t),
            _ => null,
        };
    }

    internal static string Hex(Guid id) => id.ToString("N");

    private static ulong? U64(string text) =>
        text.Length > 0 && text.All(char.IsAsciiDigit) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static Guid? Id(string text) => text.Length == 32 && Guid.TryParseExact(text, "N", out var g) && text == g.ToString("N") ? g : null;

    private protected static string Num(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A credit purchase's burn: the rate the buyer agreed to and, optionally, the marketplace quote it was offered in.</summary>
public sealed record BuyMemo(ulong RateMicroUsd, Guid? Quote = null) : IoNetMemo
{
    public override string Text => Quote is { } quote ? $"{Prefix}buy:{Num(RateMicroUsd)}:{Hex(quote)}" : $"{Prefix}buy:{Num(RateMicroUsd)}";
}

public sealed record CreditsMemo(string BurnSignature, ulong IoBurned, ulong RateMicroUsd) : IoNetMemo
{
    public override string Text => $"{Prefix}credits:{BurnSignature}:{Num(IoBurned)}:{Num(RateMicroUsd)}";
}

public sealed record FundMemo(Guid Rental) : IoNetMemo { public override string Text => $"{Prefix}fund:{Hex(Rental)}"; }

public sealed record SettleMemo(Guid Rental) : IoNetMemo { public override string Text => $"{Prefix}settle:{Hex(Rental)}"; }

public sealed record RefundMemo(Guid Rental) : IoNetMemo { public override string Text => $"{Prefix}refund:{Hex(Rental)}"; }

public sealed record RewardMemo(ulong Block, Guid Device) : IoNetMemo { public override string Text => $"{Prefix}reward:{Num(Block)}:{Hex(Device)}"; }

public sealed record StakeMemo(Guid Device) : IoNetMemo { public override string Text => $"{Prefix}stake:{Hex(Device)}"; }

public sealed record UnstakeMemo(Guid Device) : IoNetMemo { public override string Text => $"{Prefix}unstake:{Hex(Device)}"; }

public sealed record SlashMemo(Guid Device, string Staker) : IoNetMemo { public override string Text => $"{Prefix}slash:{Hex(Device)}:{Staker}"; }

public sealed record FeeMemo(string Period) : IoNetMemo { public override string Text => $"{Prefix}fee:{Period}"; }

/// <summary>
/// A reward block's payout commitment (docs/rewards.md): the SHA-256 Merkle root (64 lower-case hex digits) of its
/// <paramref name="Count"/> payouts, which add up to <paramref name="Total"/> IO base units. Carried alone, with no
/// token instruction after it, by a transaction the rewards treasury authority signs.
/// </summary>
public sealed record RewardRootMemo(ulong Block, string Root, ulong Count, ulong Total) : IoNetMemo
{
    public string Root { get; } = IsRootHex(Root) ? Root : throw new ArgumentException($"A payout root is 64 lower-case hex digits, not '{Root}'.", nameof(Root));

    public override string Text => $"{Prefix}rewardroot:{Num(Block)}:{Root}:{Num(Count)}:{Num(Total)}";

    public static bool IsRootHex(string text) => text.Length == 64 && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
