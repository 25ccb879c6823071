using IoNet.TestSupport;
using IoNet.Programs.AssociatedToken;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Programs.SolanaPay;
using IoNet.Programs.SystemProgram;
using IoNet.Programs.Token;
using IoNet.Solana.Addresses;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;

namespace IoNet.Programs.Tests.Localnet;

/// <summary>
/// Every io.net flow, signed in C#, executes on the real VM; the node's record of it decodes back to exactly the
/// instructions that were built, and the balances move by exactly the amounts asked for.
/// </summary>
public sealed class IoNetFlowsOnLocalnetTests(LocalnetChain chain) : IClassFixture<LocalnetChain>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<TransactionResponse> Run(Keypair payer, TransactionInstruction[] flow, params Keypair[] signers)
    {
        var response = await chain.ExecuteAsync(payer, flow, signers, Ct);
        response.Meta!.Err.ShouldBeNull();
        LocalnetChain.TopLevel(response).ShouldBe(flow.Select(InstructionDecoder.Decode), "decoding the node's record gives back the built instructions");
        return response;
    }

    [Fact]
    public async Task the_whole_economy_of_flows_executes_and_decodes_back_for_the_classic_token_program()
    {
        var net = chain.Network;
        var treasury = chain.Authority("treasury");
        var escrow = chain.Authority("escrow");
        var stake = chain.Authority("stake");
        var iosdAuthority = chain.Authority("iosd");
        var buyer = await chain.NewWalletAsync(ct: Ct);
        var supplier = await chain.NewWalletAsync(ct: Ct);
        var device = Guid.NewGuid();
        var rental = Guid.NewGuid();

        await Run(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, buyer.PublicKey, 1, device, 10_00000000), treasury);
        await Run(treasury, IoNetFlows.PayReward(treasury.PublicKey, net.Io, supplier.PublicKey, 1, device, 5_00000000), treasury);
        (await chain.TokenBalanceAsync(net.Io.AccountOf(buyer.PublicKey), Ct)).ShouldBe(10_00000000UL);

        var burn = await Run(buyer, IoNetFlows.BuyCredits(buyer.PublicKey, net.Io, 2_00000000, 800_000), buyer);
        var burnSignature = Signature.Parse(burn.Transaction!.Signatures![0]);
        await Run(iosdAuthority, IoNetFlows.MintCredits(iosdAuthority.PublicKey, net.Iosd, buyer.PublicKey, burnSignature, 2_00000000, 800_000), iosdAuthority);
        (await chain.TokenBalanceAsync(net.Iosd.AccountOf(buyer.PublicKey), Ct)).ShouldBe(1_600_000UL);

        await Run(buyer, IoNetFlows.FundRental(buyer.PublicKey, net.Iosd, escrow.PublicKey, rental, 1_000_000), buyer);
        await Run(escrow, IoNetFlows.SettleRental(escrow.PublicKey, net.Iosd, rental, [(supplier.PublicKey, 700_000)], buyer.PublicKey, 300_000), escrow);
        (await chain.TokenBalanceAsync(net.Iosd.AccountOf(supplier.PublicKey), Ct)).ShouldBe(700_000UL);
        (await chain.TokenBalanceAsync(net.Iosd.AccountOf(buyer.PublicKey), Ct)).ShouldBe(900_000UL);

        var stakeBefore = await chain.TokenBalanceAsync(net.StakeVault, Ct);
        await Run(supplier, IoNetFlows.Stake(supplier.PublicKey, net.Io, stake.PublicKey, device, 3_00000000), supplier);
        await Run(stake, IoNetFlows.Unstake(stake.PublicKey, net.Io, supplier.PublicKey, device, 1_00000000), stake);
        await Run(stake, IoNetFlows.Slash(stake.PublicKey, net.Io, device, supplier.PublicKey, 50000000), stake);
        (await chain.TokenBalanceAsync(net.StakeVault, Ct)).ShouldBe(stakeBefore + 1_50000000UL);

        var supplyBefore = (await chain.Rpc.GetTokenSupplyAsync(net.Io.Address.ToString(), cancellationToken: Ct)).Value.BaseUnits;
        await Run(treasury, IoNetFlows.FeeBurn(treasury.PublicKey, net.Io, "2026-11", 12345), treasury);
        (await chain.Rpc.GetTokenSupplyAsync(net.Io.Address.ToString(), cancellationToken: Ct)).Value.BaseUnits.ShouldBe(supplyBefore - 12345);

        // The rental's reference finds its payments on chain (Solana Pay), newest first.
        var references = await chain.Rpc.GetSignaturesForAddressAsync(IoNetReferences.Rental(rental).ToString(), cancellationToken: Ct);
        references.Count.ShouldBe(2);
        references[0].Memo.ShouldNotBeNull().ShouldContain($"ionet:v1:settle:{rental:N}");
    }

    [Fact]
    public async Task a_token_2022_mint_runs_the_same_flows()
    {
        var owner = await chain.NewWalletAsync(ct: Ct);
        var escrow = chain.Authority("escrow");
        var mintKey = Keypair.Generate();
        var mint = new MintInfo(mintKey.PublicKey, 6, WellKnownPrograms.Token2022);
        const ulong rent = 1_461_600; // rent exemption for an 82-byte account
        await Run(owner,
        [
            new CreateAccount(owner.PublicKey, mintKey.PublicKey, rent, 82, WellKnownPrograms.Token2022).Build(),
            new InitializeMint2(mintKey.PublicKey, 6, owner.PublicKey, null) { ProgramId = WellKnownPrograms.Token2022 }.Build(),
            AssociatedTokenInstruction.CreateIdempotent(owner.PublicKey, owner.PublicKey, mint.Address, mint.TokenProgram).Build(),
            new MintToChecked(mint.Address, mint.AccountOf(owner.PublicKey), owner.PublicKey, 5_000_000, 6) { ProgramId = WellKnownPrograms.Token2022 }.Build(),
        ], owner, mintKey);

        var rental = Guid.NewGuid();
        await Run(owner, IoNetFlows.FundRental(owner.PublicKey, mint, escrow.PublicKey, rental, 2_000_000), owner);
        (await chain.TokenBalanceAsync(mint.AccountOf(escrow.PublicKey), Ct)).ShouldBe(2_000_000UL);
        await Run(owner, [new BurnChecked(mint.AccountOf(owner.PublicKey), mint.Address, owner.PublicKey, 1_000_000, 6) { ProgramId = WellKnownPrograms.Token2022 }.Build()], owner);
        (await chain.TokenBalanceAsync(mint.AccountOf(owner.PublicKey), Ct)).ShouldBe(2_000_000UL);
    }

    [Fact]
    public async Task a_solana_pay_payment_is_found_by_reference_and_validated_against_the_chain()
    {
        var net = chain.Network;
        var buyer = await chain.NewWalletAsync(ct: Ct);
        var merchant = await chain.NewWalletAsync(ct: Ct);
        var iosdAuthority = chain.Authority("iosd");
        await Run(iosdAuthority,
        [
            AssociatedTokenInstruction.CreateIdempotent(iosdAuthority.PublicKey, buyer.PublicKey, net.Iosd.Address).Build(),
            AssociatedTokenInstruction.CreateIdempotent(iosdAuthority.PublicKey, merchant.PublicKey, net.Iosd.Address).Build(),
            new MintToChecked(net.Iosd.Address, net.Iosd.AccountOf(buyer.PublicKey), iosdAuthority.PublicKey, 10_000_000, 6).Build(),
        ], iosdAuthority);

        var reference = Keypair.Generate().PublicKey;
        var request = TransferRequest.Parse(new TransferRequest(merchant.PublicKey, "2.5", net.Iosd.Address, [reference], "IoNet", "GPU hour", "order-7").ToUrl());
        await Run(buyer, [.. SolanaPayTransfer.Build(buyer.PublicKey, request, 6)], buyer);

        var found = await PaymentValidation.FindReferenceAsync(chain.Rpc, reference, null, Ct);
        found.ShouldNotBeNull();
        var check = await PaymentValidation.ValidateAsync(chain.Rpc, found.Value, request, 6, null, Ct);
        check.Problems.ShouldBeEmpty();
        check.IsValid.ShouldBeTrue();
        check.Received.ShouldBe(2_500_000UL);

        var tooMuch = await PaymentValidation.ValidateAsync(chain.Rpc, found.Value, request with { Amount = "3" }, 6, null, Ct);
        tooMuch.IsValid.ShouldBeFalse();
        tooMuch.Problems.ShouldContain(p => p.Contains("3000000 were requested", StringComparison.Ordinal));
        (await PaymentValidation.FindReferenceAsync(chain.Rpc, Keypair.Generate().PublicKey, null, Ct)).ShouldBeNull();
    }
}
