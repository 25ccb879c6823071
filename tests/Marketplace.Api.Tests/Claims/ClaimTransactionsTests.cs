using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Claims;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Programs.Memo;
using IoNet.Programs.Token;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;

namespace IoNet.MarketplaceApi.Tests.Claims;

/// <summary>The claim transaction: settlement payouts of each rental to the wallet, the claim's reference, escrow-signed, one packet.</summary>
public sealed class ClaimTransactionsTests
{
    private sealed class KeySigner(Keypair keypair) : IAuthoritySigner
    {
        public PublicKey PublicKey => keypair.PublicKey;

        public Signature Sign(ReadOnlySpan<byte> message) => keypair.Sign(message);
    }

    private static MintInfo Mint(byte decimals) => new(Keypair.Generate().PublicKey, decimals, WellKnownPrograms.Token);

    private static readonly Keypair Escrow = Keypair.Generate();
    private static readonly IoNetAddresses Network = new(Mint(8), Mint(6), Mint(6), Keypair.Generate().PublicKey, Escrow.PublicKey,
        Keypair.Generate().PublicKey, Keypair.Generate().PublicKey);
    private static readonly Blockhash Hash = new(new byte[32]);

    private static AccruedEarning Earning(PublicKey wallet, MintInfo mint, ulong amount) =>
        new(Guid.NewGuid(), wallet.ToString(), mint.Address.ToString(), amount, DateTimeOffset.UnixEpoch, null, null, null);

    [Fact]
    public void a_claim_pays_each_earning_as_its_rentals_settlement_payout_with_the_claims_reference_signed_by_the_escrow()
    {
        using var wallet = Keypair.Generate();
        var claim = Guid.NewGuid();
        var earnings = new[] { Earning(wallet.PublicKey, Network.Iosd, 498_750), Earning(wallet.PublicKey, Network.Iosd, 997_500), Earning(wallet.PublicKey, Network.Usdc, 5) };

        var (transaction, paid) = ClaimTransactions.Build(wallet.PublicKey, new KeySigner(Escrow), Network, claim, earnings, Hash);

        paid.ShouldBe(earnings);
        transaction.Message.AccountKeys[0].ShouldBe(wallet.PublicKey);
        transaction.Message.AccountKeys[1].ShouldBe(Escrow.PublicKey);
        transaction.Signatures[0].IsEmpty.ShouldBeTrue();
        var signed = Transaction.Deserialize(transaction.Sign(wallet).Serialize());
        signed.VerifySignatures().ShouldBeTrue();
        signed.SerializedLength.ShouldBeLessThanOrEqualTo(Transaction.PacketDataSize);

        var transfers = ClaimTransactions.Instructions(wallet.PublicKey, Escrow.PublicKey, Network, claim, earnings)
            .Where(i => TokenInstructionDecoder.IsTokenProgram(i.ProgramId)).Select(TokenInstructionDecoder.Decode).Cast<TransferChecked>().ToList();
        transfers.Select(t => (t.Source, t.Destination, t.Amount)).ShouldBe(
        [
            (Network.EscrowVault(Network.Iosd), Network.Iosd.AccountOf(wallet.PublicKey), 498_750UL),
            (Network.EscrowVault(Network.Iosd), Network.Iosd.AccountOf(wallet.PublicKey), 997_500UL),
            (Network.EscrowVault(Network.Usdc), Network.Usdc.AccountOf(wallet.PublicKey), 5UL),
        ]);
        transfers[0].References.ShouldBe(new AccountList([IoNetReferences.Rental(earnings[0].Rental), ClaimTransactions.Reference(claim)]));
        transfers[1].References.ShouldBe(new AccountList([IoNetReferences.Rental(earnings[1].Rental)]));
        var memos = ClaimTransactions.Instructions(wallet.PublicKey, Escrow.PublicKey, Network, claim, earnings)
            .Where(i => i.ProgramId == WellKnownPrograms.Memo).Select(i => System.Text.Encoding.UTF8.GetString(i.Data.Span)).ToList();
        memos.ShouldBe(earnings.Select(e => new SettleMemo(e.Rental).Text));
        // One token account creation per mint.
        ClaimTransactions.Instructions(wallet.PublicKey, Escrow.PublicKey, Network, claim, earnings)
            .Count(i => i.ProgramId == WellKnownPrograms.AssociatedToken).ShouldBe(2);
        ClaimTransactions.Message(Network, paid, 0).ShouldBe("Claim 1.49625 IOSD + 0.000005 USDC of earnings from 3 rentals");
    }

    [Fact]
    public void more_earnings_than_fit_one_transaction_are_claimed_in_part_the_rest_left_for_the_next_claim()
    {
        using var wallet = Keypair.Generate();
        var earnings = Enumerable.Range(1, 30).Select(i => Earning(wallet.PublicKey, Network.Iosd, (ulong)i)).ToList();

        var (transaction, paid) = ClaimTransactions.Build(wallet.PublicKey, new KeySigner(Escrow), Network, Guid.NewGuid(), earnings, Hash);

        paid.Count.ShouldBeGreaterThan(1);
        paid.Count.ShouldBeLessThan(earnings.Count);
        paid.ShouldBe(earnings.Take(paid.Count));
        transaction.Sign(wallet).SerializedLength.ShouldBeLessThanOrEqualTo(Transaction.PacketDataSize);
        ClaimTransactions.Message(Network, paid, earnings.Count - paid.Count).ShouldEndWith($"({earnings.Count - paid.Count} more earnings: claim again for them)");
    }

    [Fact]
    public void an_earning_of_another_wallet_is_never_put_into_a_claim()
    {
        using var wallet = Keypair.Generate();
        Should.Throw<InvalidOperationException>(() => ClaimTransactions.Build(wallet.PublicKey, new KeySigner(Escrow), Network, Guid.NewGuid(),
            [Earning(Keypair.Generate().PublicKey, Network.Iosd, 1)], Hash));
    }
}
