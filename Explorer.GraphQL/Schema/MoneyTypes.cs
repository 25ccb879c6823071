using GraphQL;
using GraphQL.Types;
using IoNet.Explorer.Batching;
using IoNet.Explorer.Reads;
using IoNet.Ledger.Tokens;

namespace IoNet.Explorer.Schema;

/// <summary>An amount of one mint.</summary>
public sealed record MintAmount(string Mint, ulong Amount);

/// <summary>An amount keyed by something else (a wallet, a device, a reward block).</summary>
public sealed record KeyedAmount(string Key, ulong Amount);

public sealed class MintAmountType : ObjectGraphType<MintAmount>
{
    public MintAmountType()
    {
        Name = "MintAmount";
        Field<NonNullGraphType<StringGraphType>>("mint").Resolve(c => c.Source.Mint);
        Field<NonNullGraphType<UInt64GraphType>>("amount").Description("Base units of the mint.").Resolve(c => c.Source.Amount);
    }

    public static List<MintAmount> From(Dictionary<string, ulong> sums) =>
        [.. sums.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new MintAmount(p.Key, p.Value))];
}

public sealed class TokenSupplyType : ObjectGraphType<TokenSupply>
{
    public TokenSupplyType()
    {
        Name = "TokenSupply";
        Description = "A tracked mint's supply as the Ledger counts it (genesis supply counts as minted); equals getTokenSupply.";
        Field<NonNullGraphType<StringGraphType>>("mint").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<UInt64GraphType>>("minted").Resolve(c => c.Source.Minted);
        Field<NonNullGraphType<UInt64GraphType>>("burned").Resolve(c => c.Source.Burned);
        Field<NonNullGraphType<UInt64GraphType>>("supply").Resolve(c => c.Source.Circulating);
    }
}

public sealed class PayoutKindType : EnumerationGraphType<PayoutKind>
{
    public PayoutKindType() => Name = "PayoutKind";
}

public sealed class PayoutType : ObjectGraphType<Payout>
{
    public PayoutType()
    {
        Name = "Payout";
        Description = "Money paid out to a supplier: a block reward (treasury) or a rental settlement (escrow vault).";
        Field<NonNullGraphType<PayoutKindType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<StringGraphType>>("signature").Description("The on-chain transaction that paid it.").Resolve(c => c.Source.Signature);
        Field<NonNullGraphType<UInt64GraphType>>("slot").Resolve(c => c.Source.Slot);
        Field<LongGraphType>("blockTime").Resolve(c => c.Source.BlockTime);
        Field<NonNullGraphType<StringGraphType>>("path").Resolve(c => c.Source.Path);
        Field<NonNullGraphType<StringGraphType>>("recipient").Description("The wallet paid (worker or supplier).").Resolve(c => c.Source.Recipient);
        Field<NonNullGraphType<StringGraphType>>("mint").Resolve(c => c.Source.Mint);
        Field<NonNullGraphType<UInt64GraphType>>("amount").Resolve(c => c.Source.Amount);
        Field<StringGraphType>("deviceId").Description("Reward payouts: the device rewarded.").Resolve(c => c.Source.Device);
        Field<DeviceType>("device").Resolve(c => c.Source.Device is { } d ? c.Reads<Loaders>().Devices.Load(d) : null);
        Field<UInt64GraphType>("rewardBlockNumber").Resolve(c => c.Source.RewardBlock);
        Field<RewardBlockType>("rewardBlock").Resolve(c => c.Source.RewardBlock is { } b
            ? c.Reads<Loaders>().RewardBlocks.Load(b.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null);
        Field<StringGraphType>("clusterId").Description("Settlements: the rental (cluster) paid from.").Resolve(c => c.Source.Cluster);
        Field<ClusterType>("cluster").Resolve(c => c.Source.Cluster is { } id ? c.Reads<Loaders>().Clusters.Load(id) : null);
        Field<MerkleProofType>("merkleProof")
            .Description("Reward payouts: the inclusion proof in the reward block's Merkle root. Null until reward blocks carry roots (Suppliers issue).")
            .Resolve(_ => null);
        Field<TransactionType>("transaction").Resolve(c => c.Reads<Loaders>().Transactions.Load(c.Source.Signature));
    }
}

public sealed class MerkleProofType : ObjectGraphType<object>
{
    public MerkleProofType()
    {
        Name = "MerkleProof";
        Description = "A reward payout's inclusion proof (no data source yet).";
        Field<NonNullGraphType<StringGraphType>>("root");
        Field<NonNullGraphType<LongGraphType>>("leafIndex");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("siblings");
    }
}

public sealed class BurnReasonType : EnumerationGraphType<BurnReason>
{
    public BurnReasonType() => Name = "BurnReason";
}

public sealed class BurnType : ObjectGraphType<Burn>
{
    public BurnType()
    {
        Name = "Burn";
        Description = "Tokens of a tracked mint burned: a plain burn (credit purchases burn IO this way), the protocol fee, or a stake slash.";
        Field<NonNullGraphType<BurnReasonType>>("reason").Resolve(c => c.Source.Reason);
        Field<NonNullGraphType<StringGraphType>>("signature").Resolve(c => c.Source.Signature);
        Field<NonNullGraphType<UInt64GraphType>>("slot").Resolve(c => c.Source.Event.Slot);
        Field<LongGraphType>("blockTime").Resolve(c => c.Source.Event.BlockTime);
        Field<NonNullGraphType<StringGraphType>>("mint").Resolve(c => c.Source.Mint);
        Field<NonNullGraphType<UInt64GraphType>>("amount").Resolve(c => c.Source.Amount);
        Field<StringGraphType>("account").Resolve(c => c.Source.Account);
        Field<StringGraphType>("owner").Description("The burning account's owner, or the slashed staker.").Resolve(c => c.Source.Owner);
        Field<StringGraphType>("deviceId").Description("Slashes: the device whose stake was burned.").Resolve(c => c.Source.Device);
    }
}

public sealed class TokenMintType : ObjectGraphType<MintEvent>
{
    public TokenMintType()
    {
        Name = "TokenMint";
        Description = "Tokens of a tracked mint minted (IOSD credits are minted this way).";
        Field<NonNullGraphType<StringGraphType>>("signature").Resolve(c => c.Source.Record.Signature);
        Field<NonNullGraphType<UInt64GraphType>>("slot").Resolve(c => c.Source.Minted.Slot);
        Field<LongGraphType>("blockTime").Resolve(c => c.Source.Minted.BlockTime);
        Field<NonNullGraphType<StringGraphType>>("mint").Resolve(c => c.Source.Minted.Mint);
        Field<NonNullGraphType<UInt64GraphType>>("amount").Resolve(c => c.Source.Minted.Amount);
        Field<NonNullGraphType<StringGraphType>>("account").Resolve(c => c.Source.Minted.Account);
        Field<NonNullGraphType<StringGraphType>>("owner").Resolve(c => c.Source.Minted.Owner);
    }
}

public sealed class CreditPurchaseType : ObjectGraphType<CreditPurchase>
{
    public CreditPurchaseType()
    {
        Name = "CreditPurchase";
        Description = "IOSD credits bought: the buyer's IO burn and the IOSD mint naming it (memo ionet:v1:credits).";
        Field<NonNullGraphType<StringGraphType>>("signature").Description("The IOSD mint's transaction.").Resolve(c => c.Source.Record.Signature);
        Field<NonNullGraphType<UInt64GraphType>>("slot").Resolve(c => c.Source.Purchase.Slot);
        Field<LongGraphType>("blockTime").Resolve(c => c.Source.Purchase.BlockTime);
        Field<NonNullGraphType<StringGraphType>>("buyer").Resolve(c => c.Source.Purchase.Buyer);
        Field<NonNullGraphType<StringGraphType>>("burnSignature").Resolve(c => c.Source.Purchase.BurnSignature);
        Field<NonNullGraphType<UInt64GraphType>>("ioBurned").Resolve(c => c.Source.Purchase.IoBurned);
        Field<NonNullGraphType<UInt64GraphType>>("iosdMinted").Resolve(c => c.Source.Purchase.IosdMinted);
        Field<NonNullGraphType<StringGraphType>>("usdRate").Description("Micro-USD per whole IO, as the memo says.").Resolve(c => c.Source.Purchase.UsdRate);
    }
}

public sealed class KeyedAmountType : ObjectGraphType<KeyedAmount>
{
    public KeyedAmountType()
    {
        Name = "KeyedAmount";
        Description = "An amount in base units keyed by a wallet, a device or a reward block number.";
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<UInt64GraphType>>("amount").Resolve(c => c.Source.Amount);
    }

    public static List<KeyedAmount> From(Dictionary<string, ulong> sums) =>
        [.. sums.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new KeyedAmount(p.Key, p.Value))];
}

/// <summary>Time and order arguments shared by the event connections.</summary>
public static class EventArguments
{
    public static bool NewestFirst(this IResolveFieldContext context) => context.GetArgument("orderBy", EventOrder.NewestFirst) == EventOrder.NewestFirst;
}

public enum EventOrder { NewestFirst, OldestFirst }

public sealed class EventOrderType : EnumerationGraphType<EventOrder>
{
    public EventOrderType()
    {
        Name = "EventOrder";
        Description = "Chain order: by slot, then the order the Ledger stored the events.";
    }
}
