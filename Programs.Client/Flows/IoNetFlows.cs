using IoNet.Programs.AssociatedToken;
using IoNet.Programs.Decoding;
using IoNet.Programs.Memo;
using IoNet.Programs.Token;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.Programs.Flows;

/// <summary>
/// The io.net money flows as instruction lists (docs/onchain.md): each memo directly before the token instruction it
/// describes, references appended to transfers. The caller compiles, signs and sends them.
/// </summary>
public static class IoNetFlows
{
    /// <summary>IOSD base units (micro-USD) for burning <paramref name="ioBaseUnits"/> IO at <paramref name="rateMicroUsd"/> micro-USD per IO, rounded down.</summary>
    public static ulong CreditsFor(ulong ioBaseUnits, ulong rateMicroUsd, byte ioDecimals = 8)
    {
        var scale = (UInt128)1;
        for (var i = 0; i < ioDecimals; i++)
            scale *= 10;
        var credits = (UInt128)ioBaseUnits * rateMicroUsd / scale;
        return credits <= ulong.MaxValue ? (ulong)credits : throw new ProgramDecodeException("The credits would exceed a u64.");
    }

    /// <summary>The buyer burns IO to buy credits; the memo carries the agreed rate and, when there is one, the marketplace's quote.</summary>
    public static TransactionInstruction[] BuyCredits(PublicKey buyer, MintInfo io, ulong ioAmount, ulong rateMicroUsd, Guid? quote = null) =>
    [
        MemoInstruction.Of(new BuyMemo(rateMicroUsd, quote).Text, buyer).Build(),
        new BurnChecked(io.AccountOf(buyer), io.Address, buyer, ioAmount, io.Decimals) { ProgramId = io.TokenProgram }.Build(),
    ];

    /// <summary>The IOSD mint authority mints the credits for a burn it has seen, naming the burn's signature.</summary>
    public static TransactionInstruction[] MintCredits(PublicKey mintAuthority, MintInfo iosd, PublicKey buyer, Signature burnSignature, ulong ioBurned, ulong rateMicroUsd, byte ioDecimals = 8) =>
    [
        AssociatedTokenInstruction.CreateIdempotent(mintAuthority, buyer, iosd.Address, iosd.TokenProgram).Build(),
        MemoInstruction.Of(new CreditsMemo(burnSignature.ToString(), ioBurned, rateMicroUsd).Text, mintAuthority).Build(),
        new MintToChecked(iosd.Address, iosd.AccountOf(buyer), mintAuthority, CreditsFor(ioBurned, rateMicroUsd, ioDecimals), iosd.Decimals) { ProgramId = iosd.TokenProgram }.Build(),
    ];

    /// <summary>The buyer pays a rental into the escrow vault (a Solana Pay transfer with the rental's reference).</summary>
    public static TransactionInstruction[] FundRental(PublicKey buyer, MintInfo mint, PublicKey escrowAuthority, Guid rental, ulong amount) =>
    [
        AssociatedTokenInstruction.CreateIdempotent(buyer, escrowAuthority, mint.Address, mint.TokenProgram).Build(),
        MemoInstruction.Of(new FundMemo(rental).Text, buyer).Build(),
        Transfer(mint, buyer, escrowAuthority, amount, IoNetReferences.Rental(rental)),
    ];

    /// <summary>The vault pays each supplier and refunds the buyer's rest, every transfer with the rental's reference.</summary>
    public static TransactionInstruction[] SettleRental(
        PublicKey escrowAuthority, MintInfo mint, Guid rental, IReadOnlyList<(PublicKey Supplier, ulong Amount)> payouts, PublicKey buyer, ulong refund)
    {
        var reference = IoNetReferences.Rental(rental);
        var instructions = new List<TransactionInstruction>();
        foreach (var (supplier, amount) in payouts)
        {
            instructions.Add(AssociatedTokenInstruction.CreateIdempotent(escrowAuthority, supplier, mint.Address, mint.TokenProgram).Build());
            instructions.Add(MemoInstruction.Of(new SettleMemo(rental).Text, escrowAuthority).Build());
            instructions.Add(Transfer(mint, escrowAuthority, supplier, amount, reference));
        }
        if (refund > 0)
        {
            instructions.Add(MemoInstruction.Of(new RefundMemo(rental).Text, escrowAuthority).Build());
            instructions.Add(Transfer(mint, escrowAuthority, buyer, refund, reference));
        }
        return [.. instructions];
    }

    /// <summary>The rewards treasury pays a worker for a device's part in a reward block.</summary>
    public static TransactionInstruction[] PayReward(PublicKey treasuryAuthority, MintInfo io, PublicKey worker, ulong block, Guid device, ulong amount) =>
    [
        AssociatedTokenInstruction.CreateIdempotent(treasuryAuthority, worker, io.Address, io.TokenProgram).Build(),
        MemoInstruction.Of(new RewardMemo(block, device).Text, treasuryAuthority).Build(),
        Transfer(io, treasuryAuthority, worker, amount, IoNetReferences.Device(device)),
    ];

    public static TransactionInstruction[] Stake(PublicKey supplier, MintInfo io, PublicKey stakeAuthority, Guid device, ulong amount) =>
    [
        MemoInstruction.Of(new StakeMemo(device).Text, supplier).Build(),
        Transfer(io, supplier, stakeAuthority, amount, IoNetReferences.Device(device)),
    ];

    public static TransactionInstruction[] Unstake(PublicKey stakeAuthority, MintInfo io, PublicKey supplier, Guid device, ulong amount) =>
    [
        MemoInstruction.Of(new UnstakeMemo(device).Text, stakeAuthority).Build(),
        Transfer(io, stakeAuthority, supplier, amount, IoNetReferences.Device(device)),
    ];

    /// <summary>The stake vault burns part of a device's stake; the memo names the staker it belonged to.</summary>
    public static TransactionInstruction[] Slash(PublicKey stakeAuthority, MintInfo io, Guid device, PublicKey staker, ulong amount) =>
    [
        MemoInstruction.Of(new SlashMemo(device, staker.ToString()).Text, stakeAuthority).Build(),
        new BurnChecked(io.AccountOf(stakeAuthority), io.Address, stakeAuthority, amount, io.Decimals)
        {
            ProgramId = io.TokenProgram, References = new AccountList([IoNetReferences.Device(device)]),
        }.Build(),
    ];

    public static TransactionInstruction[] FeeBurn(PublicKey treasuryAuthority, MintInfo io, string period, ulong amount)
    {
        if (period.Length == 0 || period.Contains(':', StringComparison.Ordinal))
            throw new ProgramDecodeException("A fee period is non-empty text without colons.");
        return
        [
            MemoInstruction.Of(new FeeMemo(period).Text, treasuryAuthority).Build(),
            new BurnChecked(io.AccountOf(treasuryAuthority), io.Address, treasuryAuthority, amount, io.Decimals) { ProgramId = io.TokenProgram }.Build(),
        ];
    }

    private static TransactionInstruction Transfer(MintInfo mint, PublicKey from, PublicKey to, ulong amount, PublicKey reference) =>
        new TransferChecked(mint.AccountOf(from), mint.Address, mint.AccountOf(to), from, amount, mint.Decimals)
        {
            ProgramId = mint.TokenProgram, References = new AccountList([reference]),
        }.Build();
}
