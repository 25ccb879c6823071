using GraphQL.Types;
using IoNet.Explorer.Reads;
using IoNet.Ledger.Anchor;
using IoNet.Ledger.Chain;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Tokens;

namespace IoNet.Explorer.Schema;

/// <summary>What every Ledger event has: where on chain it happened.</summary>
public sealed class LedgerEventInterface : InterfaceGraphType<LedgerEventRecord>
{
    public LedgerEventInterface()
    {
        Name = "LedgerEvent";
        Description = "One event the indexer decoded from a transaction, as the Ledger stores it.";
        Field<NonNullGraphType<StringGraphType>>("signature").Description("The transaction's signature (its stream in the Ledger).");
        Field<NonNullGraphType<UInt64GraphType>>("slot");
        Field<LongGraphType>("blockTime").Description("Unix seconds, when the chain reported it.");
        Field<NonNullGraphType<StringGraphType>>("path").Description("The instruction inside the transaction: \"2\" = third top-level, \"2.1\" its second inner one.");
        Field<NonNullGraphType<LongGraphType>>("sequence").Description("The event's position in the Ledger (Marten's seq_id).");
    }
}

/// <summary>One concrete Ledger event type: the interface's fields plus the event's own.</summary>
public abstract class LedgerEventGraphType<T> : ObjectGraphType<LedgerEventRecord> where T : IChainEvent
{
    protected LedgerEventGraphType(string description)
    {
        Name = typeof(T).Name;
        Description = description;
        Interface<LedgerEventInterface>();
        IsTypeOf = o => o is LedgerEventRecord { Event: T };
        Field<NonNullGraphType<StringGraphType>>("signature").Resolve(c => c.Source.Signature);
        Field<NonNullGraphType<UInt64GraphType>>("slot").Resolve(c => c.Source.Event.Slot);
        Field<LongGraphType>("blockTime").Resolve(c => c.Source.Event.BlockTime);
        Field<NonNullGraphType<StringGraphType>>("path").Resolve(c => c.Source.Event.Path);
        Field<NonNullGraphType<LongGraphType>>("sequence").Resolve(c => c.Source.Sequence);
    }

    protected void Text(string name, Func<T, string> value) => Field<NonNullGraphType<StringGraphType>>(name).Resolve(c => value((T)c.Source.Event));

    protected void Amount(string name, Func<T, ulong> value) => Field<NonNullGraphType<UInt64GraphType>>(name).Resolve(c => value((T)c.Source.Event));
}

public sealed class TokensBurnedType : LedgerEventGraphType<TokensBurned>
{
    public TokensBurnedType() : base("Tokens of a tracked mint burned (Burn / BurnChecked).")
    {
        Text("mint", e => e.Mint); Text("account", e => e.Account); Text("owner", e => e.Owner); Amount("amount", e => e.Amount);
    }
}

public sealed class TokensMintedType : LedgerEventGraphType<TokensMinted>
{
    public TokensMintedType() : base("Tokens of a tracked mint minted (MintTo / MintToChecked).")
    {
        Text("mint", e => e.Mint); Text("account", e => e.Account); Text("owner", e => e.Owner); Amount("amount", e => e.Amount);
    }
}

public sealed class FeesBurnedType : LedgerEventGraphType<FeesBurned>
{
    public FeesBurnedType() : base("The treasury burned IO as the protocol fee.")
    {
        Text("mint", e => e.Mint); Text("account", e => e.Account); Amount("amount", e => e.Amount);
    }
}

public sealed class CreditsPurchasedType : LedgerEventGraphType<CreditsPurchased>
{
    public CreditsPurchasedType() : base("An IO burn and the IOSD mint that paid for it.")
    {
        Text("buyer", e => e.Buyer); Text("burnSignature", e => e.BurnSignature); Amount("ioBurned", e => e.IoBurned);
        Amount("iosdMinted", e => e.IosdMinted); Text("usdRate", e => e.UsdRate);
    }
}

public sealed class RentalFundedType : LedgerEventGraphType<RentalFunded>
{
    public RentalFundedType() : base("A buyer paid into the escrow vault for a rental (cluster).")
    {
        Text("cluster", e => e.Rental); Text("payer", e => e.Payer); Text("mint", e => e.Mint); Amount("amount", e => e.Amount);
    }
}

public sealed class RentalSettledType : LedgerEventGraphType<RentalSettled>
{
    public RentalSettledType() : base("The escrow vault paid a supplier for a rental.")
    {
        Text("cluster", e => e.Rental); Text("supplier", e => e.Supplier); Text("mint", e => e.Mint); Amount("amount", e => e.Amount);
    }
}

public sealed class RentalRefundedType : LedgerEventGraphType<RentalRefunded>
{
    public RentalRefundedType() : base("The escrow vault returned a rental's unused rest to its buyer.")
    {
        Text("cluster", e => e.Rental); Text("buyer", e => e.Buyer); Text("mint", e => e.Mint); Amount("amount", e => e.Amount);
    }
}

public sealed class RewardPaidType : LedgerEventGraphType<RewardPaid>
{
    public RewardPaidType() : base("The rewards treasury paid a worker for a device in a reward block.")
    {
        Amount("block", e => e.Block); Text("device", e => e.Device); Text("worker", e => e.Worker); Text("mint", e => e.Mint); Amount("amount", e => e.Amount);
    }
}

public sealed class StakeDepositedType : LedgerEventGraphType<StakeDeposited>
{
    public StakeDepositedType() : base("A supplier staked IO for a device.")
    {
        Text("device", e => e.Device); Text("staker", e => e.Staker); Text("mint", e => e.Mint); Amount("amount", e => e.Amount);
    }
}

public sealed class StakeWithdrawnType : LedgerEventGraphType<StakeWithdrawn>
{
    public StakeWithdrawnType() : base("The stake vault returned IO to a device's supplier.")
    {
        Text("device", e => e.Device); Text("staker", e => e.Staker); Text("mint", e => e.Mint); Amount("amount", e => e.Amount);
    }
}

public sealed class StakeSlashedType : LedgerEventGraphType<StakeSlashed>
{
    public StakeSlashedType() : base("The stake vault burned part of a device's stake.")
    {
        Text("device", e => e.Device); Text("staker", e => e.Staker); Text("mint", e => e.Mint); Amount("amount", e => e.Amount);
    }
}

public sealed class AnchorEventObservedType : LedgerEventGraphType<AnchorEventObserved>
{
    public AnchorEventObservedType() : base("An event of a configured Anchor program, decoded from its IDL.")
    {
        Text("program", e => e.Program); Text("name", e => e.Name); Text("data", e => e.Data);
    }
}

public sealed class CreditsRequestedType : LedgerEventGraphType<CreditsRequested>
{
    public CreditsRequestedType() : base("A buyer burned IO to buy credits (a burn under a `buy` memo); the credits desk decides what is minted for it.")
    {
        Text("buyer", e => e.Buyer); Text("account", e => e.Account); Amount("ioBurned", e => e.IoBurned); Amount("rateMicroUsd", e => e.RateMicroUsd);
        Field<IdGraphType>("quote").Description("The marketplace quote the memo names, if any.").Resolve(c => ((CreditsRequested)c.Source.Event).Quote?.ToString("N"));
        Field<CreditPurchaseType>("purchase").Description("The IOSD mint that paid for this burn; null while the credits desk has not minted.")
            .Resolve(c => c.Reads<IoNet.Explorer.Batching.Loaders>().PurchasesOfBurns.Load(c.Source.Signature));
    }
}

public sealed class VaultDepositedType : LedgerEventGraphType<IoNet.Ledger.Vaults.VaultDeposited>
{
    public VaultDepositedType() : base("Tokens arrived in a tracked vault by a movement no IoNet flow accounts for.")
    {
        Text("vault", e => e.Vault); Text("mint", e => e.Mint); Text("counterparty", e => e.Counterparty); Amount("amount", e => e.Amount); Text("instruction", e => e.Instruction);
    }
}

public sealed class VaultWithdrawnType : LedgerEventGraphType<IoNet.Ledger.Vaults.VaultWithdrawn>
{
    public VaultWithdrawnType() : base("Tokens left a tracked vault by a movement no IoNet flow accounts for.")
    {
        Text("vault", e => e.Vault); Text("mint", e => e.Mint); Text("counterparty", e => e.Counterparty); Amount("amount", e => e.Amount); Text("instruction", e => e.Instruction);
    }
}

public sealed class TransactionUnreadableType : LedgerEventGraphType<TransactionUnreadable>
{
    public TransactionUnreadableType() : base("A transaction the indexer could not turn into events (recorded so it is never fetched again as if missing).")
    {
        Text("reason", e => e.Reason);
    }
}

/// <summary>A transaction as the Ledger holds it.</summary>
public sealed class TransactionType : ObjectGraphType<LedgerTransaction>
{
    public TransactionType()
    {
        Name = "Transaction";
        Description = "A transaction the indexer recorded: every Ledger event of it, in instruction order.";
        Field<NonNullGraphType<StringGraphType>>("signature").Resolve(c => c.Source.Signature);
        Field<NonNullGraphType<UInt64GraphType>>("slot").Resolve(c => c.Source.Slot);
        Field<LongGraphType>("blockTime").Resolve(c => c.Source.BlockTime);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LedgerEventInterface>>>>("events").Resolve(c => c.Source.Events);
    }
}
