using IoNet.Indexer.Decoding;
using IoNet.Ledger.Chain;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Rewards;
using IoNet.Ledger.Staking;
using IoNet.Ledger.Tokens;
using IoNet.Ledger.Vaults;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Programs.Memo;
using IoNet.Programs.Token;
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

    private static string Escrow(MintInfo mint) => Network.EscrowVault(mint).ToString();

    private static IReadOnlyList<IChainEvent> Map(IEnumerable<TransactionInstruction> instructions) => ChainEventMapper.Map(Tx(instructions), Network).Events;

    [Fact]
    public void buying_and_minting_credits_records_the_burn_the_mint_and_the_purchase()
    {
        var account = Network.Io.AccountOf(Buyer).ToString();
        Map(IoNetFlows.BuyCredits(Buyer, Network.Io, 250_000_000, 800_000)).ShouldBe(
        [
            new TokensBurned(Sig.ToString(), 50, 1_700_000_000, "1", Network.Io.Address.ToString(), account, Buyer.ToString(), 250_000_000),
            new CreditsRequested(Sig.ToString(), 50, 1_700_000_000, "1", Buyer.ToString(), account, 250_000_000, 800_000, null),
        ]);

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
            .ShouldBe([new RentalFunded(Sig.ToString(), 50, 1_700_000_000, "2", rental, Buyer.ToString(), iosd, 1_000, Escrow(Network.Iosd))]);

        var settled = Map(IoNetFlows.SettleRental(Network.EscrowAuthority, Network.Iosd, Rental, [(Supplier, 600), (Supplier2, 300)], Buyer, 100));
        settled.ShouldBe(
        [
            new RentalSettled(Sig.ToString(), 50, 1_700_000_000, "2", rental, Supplier.ToString(), iosd, 600, Escrow(Network.Iosd)),
            new RentalSettled(Sig.ToString(), 50, 1_700_000_000, "5", rental, Supplier2.ToString(), iosd, 300, Escrow(Network.Iosd)),
            new RentalRefunded(Sig.ToString(), 50, 1_700_000_000, "7", rental, Buyer.ToString(), iosd, 100, Escrow(Network.Iosd)),
        ]);
    }

    [Fact]
    public void rewards_stakes_slashes_and_fee_burns_become_their_own_events()
    {
        var io = Network.Io.Address.ToString();
        var device = Device.ToString("N");
        Map(IoNetFlows.PayReward(Network.TreasuryAuthority, Network.Io, Worker, 42, Device, 3_000))
            .ShouldBe([new RewardPaid(Sig.ToString(), 50, 1_700_000_000, "2", 42, device, Worker.ToString(), io, 3_000, Network.TreasuryVault.ToString())]);
        Map(IoNetFlows.Stake(Supplier, Network.Io, Network.StakeAuthority, Device, 90_000))
            .ShouldBe([new StakeDeposited(Sig.ToString(), 50, 1_700_000_000, "1", device, Supplier.ToString(), io, 90_000, Network.StakeVault.ToString())]);
        Map(IoNetFlows.Unstake(Network.StakeAuthority, Network.Io, Supplier, Device, 10_000))
            .ShouldBe([new StakeWithdrawn(Sig.ToString(), 50, 1_700_000_000, "1", device, Supplier.ToString(), io, 10_000, Network.StakeVault.ToString())]);
        Map(IoNetFlows.Slash(Network.StakeAuthority, Network.Io, Device, Supplier, 5_000))
            .ShouldBe([new StakeSlashed(Sig.ToString(), 50, 1_700_000_000, "1", device, Supplier.ToString(), io, 5_000, Network.StakeVault.ToString())]);
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
    public void a_transfer_into_a_vault_without_its_memo_is_an_unattributed_deposit_not_a_flow()
    {
        var flow = IoNetFlows.FundRental(Buyer, Network.Iosd, Network.EscrowAuthority, Rental, 1_000);
        var result = ChainEventMapper.Map(Tx([flow[0], flow[2]]), Network);
        result.Events.ShouldBe([new VaultDeposited(Sig.ToString(), 50, 1_700_000_000, "1", Escrow(Network.Iosd), Network.Iosd.Address.ToString(),
            Network.Iosd.AccountOf(Buyer).ToString(), 1_000, "TransferChecked")]);
        result.Ignored.ShouldBeEmpty();
    }

    [Fact]
    public void a_plain_transfer_without_memo_into_the_escrow_vault_is_an_unattributed_deposit()
    {
        var gift = new Transfer(Network.Io.AccountOf(Buyer), Network.EscrowVault(Network.Io), Buyer, 777).Build();
        Map([gift]).ShouldBe([new VaultDeposited(Sig.ToString(), 50, 1_700_000_000, "0", Escrow(Network.Io), Network.Io.Address.ToString(),
            Network.Io.AccountOf(Buyer).ToString(), 777, "Transfer")]);
    }

    [Fact]
    public void a_plain_transfer_names_its_mint_through_the_vault_when_the_node_reports_no_token_balances()
    {
        var gift = new Transfer(K(50), Network.EscrowVault(Network.Usdc), Buyer, 9).Build();
        var tx = Tx([gift]) with { TokenAccounts = new Dictionary<PublicKey, TokenAccountInfo>() };
        ChainEventMapper.Map(tx, Network).Events.ShouldBe([new VaultDeposited(Sig.ToString(), 50, 1_700_000_000, "0", Escrow(Network.Usdc),
            Network.Usdc.Address.ToString(), K(50).ToString(), 9, "Transfer")]);
    }

    [Fact]
    public void a_mint_into_a_vault_and_a_burn_from_a_vault_without_a_flow_move_the_vault_and_the_supply()
    {
        var io = Network.Io.Address.ToString();
        var treasury = Network.TreasuryVault.ToString();
        Map([new MintToChecked(Network.Io.Address, Network.TreasuryVault, K(120), 5_000, 8).Build()]).ShouldBe(
        [
            new TokensMinted(Sig.ToString(), 50, 1_700_000_000, "0", io, treasury, Network.TreasuryAuthority.ToString(), 5_000),
            new VaultDeposited(Sig.ToString(), 50, 1_700_000_000, "0", treasury, io, io, 5_000, "MintToChecked"),
        ]);
        // A burn from the stake vault without its slash memo: a burn, and the vault's withdrawal.
        var stake = Network.StakeVault.ToString();
        Map([new Burn(Network.StakeVault, Network.Io.Address, Network.StakeAuthority, 70).Build()]).ShouldBe(
        [
            new TokensBurned(Sig.ToString(), 50, 1_700_000_000, "0", io, stake, Network.StakeAuthority.ToString(), 70),
            new VaultWithdrawn(Sig.ToString(), 50, 1_700_000_000, "0", stake, io, io, 70, "Burn"),
        ]);
    }

    [Fact]
    public void a_transfer_from_one_vault_to_another_withdraws_from_one_and_deposits_into_the_other()
    {
        var io = Network.Io.Address.ToString();
        Map([new TransferChecked(Network.TreasuryVault, Network.Io.Address, Network.StakeVault, Network.TreasuryAuthority, 400, 8).Build()]).ShouldBe(
        [
            new VaultWithdrawn(Sig.ToString(), 50, 1_700_000_000, "0", Network.TreasuryVault.ToString(), io, Network.StakeVault.ToString(), 400, "TransferChecked"),
            new VaultDeposited(Sig.ToString(), 50, 1_700_000_000, "0", Network.StakeVault.ToString(), io, Network.TreasuryVault.ToString(), 400, "TransferChecked"),
        ]);
    }

    [Fact]
    public void a_flow_whose_other_side_is_a_vault_records_that_side_too()
    {
        // A reward paid from the treasury into the stake vault: the treasury side is the flow, the stake side unattributed.
        var flow = IoNetFlows.PayReward(Network.TreasuryAuthority, Network.Io, Network.StakeAuthority, 3, Device, 60);
        var events = Map(flow);
        events.OfType<RewardPaid>().ShouldHaveSingleItem().Vault.ShouldBe(Network.TreasuryVault.ToString());
        events.OfType<VaultDeposited>().ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            d => d.Vault.ShouldBe(Network.StakeVault.ToString()), d => d.Amount.ShouldBe(60UL), d => d.Counterparty.ShouldBe(Network.TreasuryVault.ToString()));
        events.OfType<VaultWithdrawn>().ShouldBeEmpty();
    }

    [Fact]
    public void a_transfer_into_a_vault_made_by_another_program_is_recorded_at_its_inner_path()
    {
        var transfer = new Transfer(Network.Iosd.AccountOf(Buyer), Network.EscrowVault(Network.Iosd), Buyer, 42).Build();
        var cpi = new DecodedInstruction("0.2", 2, transfer.ProgramId, transfer.Accounts, transfer.Data, InstructionDecoder.Decode(transfer));
        var outer = new DecodedInstruction("0", null, K(90), [], Array.Empty<byte>(), new UnknownInstruction(K(90), Array.Empty<byte>(), "a program IoNet does not decode"));
        var tx = Tx([]) with { Instructions = [outer, cpi] };
        ChainEventMapper.Map(tx, Network).Events.ShouldBe([new VaultDeposited(Sig.ToString(), 50, 1_700_000_000, "0.2", Escrow(Network.Iosd),
            Network.Iosd.Address.ToString(), Network.Iosd.AccountOf(Buyer).ToString(), 42, "Transfer")]);
    }

    [Fact]
    public void a_vault_balance_change_no_instruction_explains_is_recorded_and_reported()
    {
        var escrow = Network.EscrowVault(Network.Iosd);
        var gift = new Transfer(Network.Iosd.AccountOf(Buyer), escrow, Buyer, 100).Build();
        // The node says the vault gained 130 (and the stake vault lost 5) where the instructions move 100 and 0.
        var tx = Tx([gift]) with
        {
            AccountKeys = [Buyer, escrow, Network.StakeVault],
            TokenBalanceChanges = new Dictionary<PublicKey, TokenBalanceChange> { [escrow] = new(1_000, 1_130), [Network.StakeVault] = new(50, 45) },
        };
        var result = ChainEventMapper.Map(tx, Network);
        result.Events.ShouldBe(
        [
            new VaultDeposited(Sig.ToString(), 50, 1_700_000_000, "0", escrow.ToString(), Network.Iosd.Address.ToString(), Network.Iosd.AccountOf(Buyer).ToString(), 100, "Transfer"),
            new VaultDeposited(Sig.ToString(), 50, 1_700_000_000, "balance.1", escrow.ToString(), Network.Iosd.Address.ToString(), "", 30, "balance change"),
            new VaultWithdrawn(Sig.ToString(), 50, 1_700_000_000, "balance.2", Network.StakeVault.ToString(), Network.Io.Address.ToString(), "", 5, "balance change"),
        ], ignoreOrder: true);
        result.Ignored.Count.ShouldBe(2);
        // Balances that agree with the instructions add nothing.
        ChainEventMapper.Map(tx with { TokenBalanceChanges = new Dictionary<PublicKey, TokenBalanceChange> { [escrow] = new(1_000, 1_100) } }, Network)
            .Events.Count.ShouldBe(1);
    }

    [Fact]
    public void a_fee_above_the_amount_in_a_successful_transaction_is_an_error_not_a_wrapped_amount()
    {
        var withFee = new TransferCheckedWithFee(Network.Io.AccountOf(Buyer), Network.Io.Address, Network.EscrowVault(Network.Io), Buyer, 5, 8, 6).Build();
        Should.Throw<IoNet.Solana.SolanaException>(() => Map([withFee])).Message.ShouldContain("fee of 6, more than its amount 5");
        // A fee within the amount: the vault receives the amount less the fee.
        var fair = new TransferCheckedWithFee(Network.Io.AccountOf(Buyer), Network.Io.Address, Network.EscrowVault(Network.Io), Buyer, 5, 8, 2).Build();
        Map([fair]).ShouldHaveSingleItem().ShouldBeOfType<VaultDeposited>().Amount.ShouldBe(3UL);
    }

    [Fact]
    public void a_failed_transaction_moving_into_a_vault_records_nothing()
    {
        var gift = new Transfer(Network.Io.AccountOf(Buyer), Network.TreasuryVault, Buyer, 5).Build();
        ChainEventMapper.Map(Tx([gift], succeeded: false), Network).Events.ShouldBeEmpty();
    }

    [Fact]
    public void a_memo_applies_only_to_the_instruction_right_after_it()
    {
        var flow = IoNetFlows.FundRental(Buyer, Network.Iosd, Network.EscrowAuthority, Rental, 1_000);
        // memo, then an unrelated instruction, then the transfer: the memo no longer applies.
        var result = ChainEventMapper.Map(Tx([flow[1], flow[0], flow[2]]), Network);
        // No rental funded: the movement into the vault is recorded all the same, unattributed.
        result.Events.ShouldHaveSingleItem().ShouldBeOfType<VaultDeposited>().Amount.ShouldBe(1_000UL);
    }

    [Fact]
    public void a_burn_naming_a_quote_requests_credits_for_that_quote()
    {
        var quote = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        Map(IoNetFlows.BuyCredits(Buyer, Network.Io, 7, 800_000, quote)).OfType<CreditsRequested>().ShouldHaveSingleItem()
            .ShouldBe(new CreditsRequested(Sig.ToString(), 50, 1_700_000_000, "1", Buyer.ToString(), Network.Io.AccountOf(Buyer).ToString(), 7, 800_000, quote));
    }

    [Fact]
    public void only_an_io_burn_under_a_buy_memo_requests_credits()
    {
        // A plain burn (no memo) and a buy memo before a burn of another tracked mint are burns, not purchases.
        Map([IoNetFlows.BuyCredits(Buyer, Network.Io, 5, 800_000)[1]]).ShouldHaveSingleItem().ShouldBeOfType<TokensBurned>();
        var result = ChainEventMapper.Map(Tx(IoNetFlows.BuyCredits(Buyer, Network.Iosd, 5, 800_000)), Network);
        result.Events.ShouldHaveSingleItem().ShouldBeOfType<TokensBurned>().Mint.ShouldBe(Network.Iosd.Address.ToString());
        result.Ignored.ShouldHaveSingleItem().ShouldContain("not of IO");
        // A memo applies only to the instruction right after it.
        Map([IoNetFlows.BuyCredits(Buyer, Network.Io, 5, 800_000)[0], MemoInstruction.Of("hello").Build(), IoNetFlows.BuyCredits(Buyer, Network.Io, 5, 800_000)[1]])
            .OfType<CreditsRequested>().ShouldBeEmpty();
    }

    [Fact]
    public void mints_and_burns_of_untracked_mints_are_not_events()
    {
        var other = new MintInfo(K(200), 6, WellKnownPrograms.Token);
        Map(IoNetFlows.BuyCredits(Buyer, other, 5, 1)).ShouldBeEmpty();
    }
}
