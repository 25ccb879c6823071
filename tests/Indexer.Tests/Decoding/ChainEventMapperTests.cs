using IoNet.Indexer.Decoding;
using IoNet.Ledger.Chain;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Tokens;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.Indexer.Tests.Decoding;

public sealed class ChainEventMapperTests
{
    private static PublicKey K(byte b) => new(Enumerable.Repeat(b, 32).ToArray());

    private static readonly IoNetAddresses Network = new(
        new MintInfo(K(100), 8, WellKnownPrograms.Token), new MintInfo(K(101), 6, WellKnownPrograms.Token), new MintInfo(K(102), 6, WellKnownPrograms.Token),
        IosdMintAuthority: K(110), EscrowAuthority: K(111), TreasuryAuthority: K(112), StakeAuthority: K(113));

    private static readonly PublicKey Buyer = K(1), Supplier = K(2), Supplier2 = K(3), Worker = K(4);
    private static readonly Guid Rental = Guid.Parse("0f8fad5bd9cb469fa16570867728950e");
    private static readonly Guid Device = Guid.Parse("7c9e6679742540de944be07fc1f90ae7");
    private static readonly Signature Sig = new(Enumerable.Repeat((byte)7, 64).ToArray());

    /// <summary>A transaction as the decoder gives it, with the token accounts' owners the node would report.</summary>
    private static DecodedTransaction Tx(IEnumerable<TransactionInstruction> instructions, bool succeeded = true)
    {
        var decoded = instructions.Select((ix, i) => new DecodedInstruction(i.ToString(System.Globalization.CultureInfo.InvariantCulture), null, ix.ProgramId, ix.Accounts, ix.Data, InstructionDecoder.Decode(ix))).ToList();
        var owners = new Dictionary<PublicKey, TokenAccountInfo>();
        foreach (var mint in Network.Mints)
        {
            foreach (var owner in new[] { Buyer, Supplier, Supplier2, Worker, Network.EscrowAuthority, Network.TreasuryAuthority, Network.StakeAuthority })
                owners[mint.AccountOf(owner)] = new TokenAccountInfo(mint.Address, owner, mint.Decimals);
        }
        return new DecodedTransaction(Sig, 50, 1_700_000_000, succeeded, succeeded ? null : "{\"InstructionError\":[0,\"Custom\"]}", [], decoded, []) { TokenAccounts = owners };
    }

    private static IReadOnlyList<IChainEvent> Map(IEnumerable<TransactionInstruction> instructions) => ChainEventMapper.Map(Tx(instructions), Network).Events;

    [Fact]
    public void buying_and_minting_credits_records_the_burn_the_mint_and_the_purchase()
    {
        Map(IoNetFlows.BuyCredits(Buyer, Network.Io, 250_000_000, 800_000))
            .ShouldBe([new TokensBurned(Sig.ToString(), 50, 1_700_000_000, "1", Network.Io.Address.ToString(), Network.Io.AccountOf(Buyer).ToString(), Buyer.ToString(), 250_000_000)]);

        var minted = Map(IoNetFlows.MintCredits(Network.IosdMintAuthority, Network.Iosd, Buyer, Sig, 250_000_000, 800_000));
        minted.Count.ShouldBe(2);
        minted[0].ShouldBeOfType<TokensMinted>().Amount.ShouldBe(2_000_000UL);
        minted[1].ShouldBe(new CreditsPurchased(Sig.ToString(), 50, 1_700_000_000, "2", Buyer.ToString(), Sig.ToString(), 250_000_000, 2_000_000, "800000"));
    }

    [Fact]
    public void funding_and_settling_a_rental_records_each_movement_with_its_parties()
    {
        var rental = Rental.ToString("N");
        var iosd = Network.Iosd.Address.ToString();
        Map(IoNetFlows.FundRental(Buyer, Network.Iosd, Network.EscrowAuthority, Rental, 1_000))
            .ShouldBe([new RentalFunded(Sig.ToString(), 50, 1_700_000_000, "2", rental, Buyer.ToString(), iosd, 1_000)]);

        var settled = Map(IoNetFlows.SettleRental(Network.EscrowAuthority, Network.Iosd, Rental, [(Supplier, 600), (Supplier2, 300)], Buyer, 100));
        settled.ShouldBe(
        [
            new RentalSettled(Sig.ToString(), 50, 1_700_000_000, "2", rental, Supplier.ToString(), iosd, 600),
            new RentalSettled(Sig.ToString(), 50, 1_700_000_000, "5", rental, Supplier2.ToString(), iosd, 300),
            new RentalRefunded(Sig.ToString(), 50, 1_700_000_000, "7", rental, Buyer.ToString(), iosd, 100),
        ]);
    }

    [Fact]
    public void rewards_stakes_slashes_and_fee_burns_become_their_own_events()
    {
        var io = Network.Io.Address.ToString();
        var device = Device.ToString("N");
        Map(IoNetFlows.PayReward(Network.TreasuryAuthority, Network.Io, Worker, 42, Device, 3_000))
            .ShouldBe([new RewardPaid(Sig.ToString(), 50, 1_700_000_000, "2", 42, device, Worker.ToString(), io, 3_000)]);
        Map(IoNetFlows.Stake(Supplier, Network.Io, Network.StakeAuthority, Device, 90_000))
            .ShouldBe([new StakeDeposited(Sig.ToString(), 50, 1_700_000_000, "1", device, Supplier.ToString(), io, 90_000)]);
        Map(IoNetFlows.Unstake(Network.StakeAuthority, Network.Io, Supplier, Device, 10_000))
            .ShouldBe([new StakeWithdrawn(Sig.ToString(), 50, 1_700_000_000, "1", device, Supplier.ToString(), io, 10_000)]);
        Map(IoNetFlows.Slash(Network.StakeAuthority, Network.Io, Device, Supplier, 5_000))
            .ShouldBe([new StakeSlashed(Sig.ToString(), 50, 1_700_000_000, "1", device, Supplier.ToString(), io, 5_000)]);
        Map(IoNetFlows.FeeBurn(Network.TreasuryAuthority, Network.Io, "2026-11", 123))
            .ShouldBe([new FeesBurned(Sig.ToString(), 50, 1_700_000_000, "1", io, Network.TreasuryVault.ToString(), 123)]);
    }

    [Fact]
    public void a_failed_transaction_records_nothing()
    {
        ChainEventMapper.Map(Tx(IoNetFlows.FundRental(Buyer, Network.Iosd, Network.EscrowAuthority, Rental, 1_000), succeeded: false), Network)
            .Events.ShouldBeEmpty();
    }

    [Fact]
    public void a_transfer_into_a_vault_without_its_memo_is_reported_not_guessed()
    {
        var flow = IoNetFlows.FundRental(Buyer, Network.Iosd, Network.EscrowAuthority, Rental, 1_000);
        var result = ChainEventMapper.Map(Tx([flow[0], flow[2]]), Network);
        result.Events.ShouldBeEmpty();
        result.Ignored.ShouldHaveSingleItem().ShouldContain("no IoNet flow");
    }

    [Fact]
    public void a_memo_applies_only_to_the_instruction_right_after_it()
    {
        var flow = IoNetFlows.FundRental(Buyer, Network.Iosd, Network.EscrowAuthority, Rental, 1_000);
        // memo, then an unrelated instruction, then the transfer: the memo no longer applies.
        var result = ChainEventMapper.Map(Tx([flow[1], flow[0], flow[2]]), Network);
        result.Events.ShouldBeEmpty();
    }

    [Fact]
    public void mints_and_burns_of_untracked_mints_are_not_events()
    {
        var other = new MintInfo(K(200), 6, WellKnownPrograms.Token);
        Map(IoNetFlows.BuyCredits(Buyer, other, 5, 1)).ShouldBeEmpty();
    }
}
