namespace IoNet.Suppliers.Rewards;

/// <summary>
/// io.net's emission of 300M IO over 20 years, in IO base units (8 decimals), exactly (docs/rewards.md):
/// month 1 emits 8%/12 of the 500M launch supply, each later month its predecessor × 0.989849199 rounded down, and
/// month 240 whatever remains of the 300M, so the 240 months add up to exactly 300M IO. Each month is emitted in hourly
/// reward blocks (block b = the b-th hour since genesis, b from 0); hour h of a month of H hours emits
/// floor(E·(h+1)/H) − floor(E·h/H), so the hours of a month add up to its emission and no remainder is ever carried.
/// Months are calendar months from the genesis month (UTC); a "block" is an hour however long a test makes it.
/// </summary>
public sealed class EmissionSchedule
{
    public const ulong BaseUnitsPerIo = 100_000_000;
    public const ulong LaunchSupply = 500_000_000 * BaseUnitsPerIo;
    public const ulong TotalEmission = 300_000_000 * BaseUnitsPerIo;
    public const int Months = 240;

    /// <summary>8% a year of the launch supply, a twelfth of it: 3,333,333.33333333 IO.</summary>
    public const ulong FirstMonthEmission = LaunchSupply * 8 / 100 / 12;

    /// <summary>The monthly decay as io.net states it (0.989849199; the issue's ×0.98985 rounded).</summary>
    public const ulong DecayNumerator = 989_849_199;
    public const ulong DecayDenominator = 1_000_000_000;

    private static readonly ulong[] MonthlyAmounts = ComputeMonths();

    private readonly int[] _hours = new int[Months];
    private readonly long[] _firstBlock = new long[Months + 1];

    public EmissionSchedule(int genesisYear, int genesisMonth)
    {
        var start = new DateOnly(genesisYear, genesisMonth, 1);
        GenesisYear = genesisYear;
        GenesisMonth = genesisMonth;
        for (var m = 0; m < Months; m++)
        {
            var month = start.AddMonths(m);
            _hours[m] = DateTime.DaysInMonth(month.Year, month.Month) * 24;
            _firstBlock[m + 1] = _firstBlock[m] + _hours[m];
        }
    }

    public int GenesisYear { get; }
    public int GenesisMonth { get; }

    /// <summary>The 240 monthly emissions, month 1 first (the same for every genesis).</summary>
    public static IReadOnlyList<ulong> MonthlyEmissions => MonthlyAmounts;

    /// <summary>Blocks (hours) in the 240 months: 175,320 or 175,344 depending on the leap days they span.</summary>
    public long TotalBlocks => _firstBlock[Months];

    /// <summary>Hours in month <paramref name="month"/> (1-based).</summary>
    public int HoursIn(int month) => _hours[CheckMonth(month) - 1];

    /// <summary>The month (1-based) and the hour within it (0-based) of block <paramref name="block"/>, or null past the 240 months.</summary>
    public (int Month, int Hour)? Locate(long block)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        if (block >= TotalBlocks)
            return null;
        var index = Array.BinarySearch(_firstBlock, block);
        var m = index >= 0 ? index : ~index - 1;
        return (m + 1, (int)(block - _firstBlock[m]));
    }

    /// <summary>The emission of reward block <paramref name="block"/> in IO base units; 0 after the 240 months.</summary>
    public ulong ForBlock(long block)
    {
        if (Locate(block) is not var (month, hour))
            return 0;
        var e = (UInt128)MonthlyAmounts[month - 1];
        var hours = (UInt128)(ulong)_hours[month - 1];
        return (ulong)(e * (ulong)(hour + 1) / hours - e * (ulong)hour / hours);
    }

    /// <summary>Everything emitted by blocks 0 … <paramref name="block"/> − 1.</summary>
    public ulong EmittedBefore(long block)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        if (block >= TotalBlocks)
            return TotalEmission;
        var (month, hour) = Locate(block)!.Value;
        ulong sum = 0;
        for (var m = 0; m < month - 1; m++)
            sum = checked(sum + MonthlyAmounts[m]);
        return checked(sum + (ulong)((UInt128)MonthlyAmounts[month - 1] * (ulong)hour / (ulong)_hours[month - 1]));
    }

    private static int CheckMonth(int month) =>
        month is >= 1 and <= Months ? month : throw new ArgumentOutOfRangeException(nameof(month), month, $"Months are 1 to {Months}.");

    private static ulong[] ComputeMonths()
    {
        var months = new ulong[Months];
        months[0] = FirstMonthEmission;
        var emitted = months[0];
        for (var m = 1; m < Months - 1; m++)
        {
            // Rounded down so that no month emits more than the formula; the shortfall (< 1 base unit a month) goes to month 240.
            var decayed = (ulong)((UInt128)months[m - 1] * DecayNumerator / DecayDenominator);
            months[m] = Math.Min(decayed, TotalEmission - emitted);
            emitted += months[m];
        }
        months[Months - 1] = TotalEmission - emitted;
        return months;
    }
}
