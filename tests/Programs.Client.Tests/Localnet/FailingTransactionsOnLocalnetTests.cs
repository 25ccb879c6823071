using IoNet.TestSupport;
using IoNet.Programs.Token;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;

namespace IoNet.Programs.Tests.Localnet;

/// <summary>Transactions the chain refuses come back with the node's real error and a clear typed exception in C#.</summary>
public sealed class FailingTransactionsOnLocalnetTests(LocalnetChain chain) : IClassFixture<LocalnetChain>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<RpcPreflightFailureException> Refused(Keypair payer, TransactionInstruction[] instructions, params Keypair[] signers)
    {
        var bytes = await chain.SignAsync(payer, instructions, signers, Ct);
        return await Should.ThrowAsync<RpcPreflightFailureException>(() => chain.Rpc.SendTransactionAsync(bytes, cancellationToken: Ct));
    }

    private async Task<(Keypair Owner, PublicKey Account)> FundedIosdAccount(ulong amount)
    {
        var owner = await chain.NewWalletAsync(ct: Ct);
        var authority = chain.Authority("iosd");
        var iosd = chain.Network.Iosd;
        await chain.ExecuteAsync(authority,
        [
            AssociatedToken.AssociatedTokenInstruction.CreateIdempotent(authority.PublicKey, owner.PublicKey, iosd.Address).Build(),
            new MintToChecked(iosd.Address, iosd.AccountOf(owner.PublicKey), authority.PublicKey, amount, iosd.Decimals).Build(),
        ], [authority], Ct);
        return (owner, iosd.AccountOf(owner.PublicKey));
    }

    [Fact]
    public async Task minting_with_the_wrong_authority_is_the_token_programs_owner_mismatch()
    {
        var (owner, account) = await FundedIosdAccount(1);
        var error = await Refused(owner, [new MintToChecked(chain.Network.Iosd.Address, account, owner.PublicKey, 5, 6).Build()], owner);
        error.Code.ShouldBe(-32002);
        error.Err.ShouldNotBeNull();
        (error.Err.InstructionIndex, error.Err.CustomCode).ShouldBe((0, 4u)); // TokenError::OwnerMismatch
        error.Logs.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task spending_more_than_the_balance_is_insufficient_funds()
    {
        var (owner, account) = await FundedIosdAccount(100);
        var iosd = chain.Network.Iosd;
        var error = await Refused(owner, [new TransferChecked(account, iosd.Address, chain.Network.EscrowVault(iosd), owner.PublicKey, 101, 6).Build()], owner);
        (error.Err!.InstructionIndex, error.Err.CustomCode).ShouldBe((0, 1u)); // TokenError::InsufficientFunds
        error.Err.Json.ShouldBe("{\"InstructionError\":[0,{\"Custom\":1}]}");
    }

    [Fact]
    public async Task the_wrong_decimals_are_a_mint_decimals_mismatch()
    {
        var (owner, account) = await FundedIosdAccount(100);
        var iosd = chain.Network.Iosd;
        var error = await Refused(owner, [new TransferChecked(account, iosd.Address, chain.Network.EscrowVault(iosd), owner.PublicKey, 1, 8).Build()], owner);
        error.Err!.CustomCode.ShouldBe(18u); // TokenError::MintDecimalsMismatch
    }

    [Fact]
    public async Task a_forged_signature_is_refused_and_nothing_is_stored()
    {
        var wallet = await chain.NewWalletAsync(ct: Ct);
        var to = Keypair.Generate().PublicKey;
        var bytes = await chain.SignAsync(wallet, [new SystemProgram.SystemTransfer(wallet.PublicKey, to, 1_000_000).Build()], [wallet], Ct);
        bytes[5] ^= 0xFF; // inside the first signature
        var error = await Should.ThrowAsync<RpcException>(() => chain.Rpc.SendTransactionAsync(bytes, cancellationToken: Ct));
        error.Code.ShouldBe(-32003);
        (await chain.Rpc.GetBalanceAsync(to.ToString(), cancellationToken: Ct)).Value.ShouldBe(0UL);
    }

    [Fact]
    public async Task an_unknown_or_expired_blockhash_is_blockhash_not_found()
    {
        var wallet = await chain.NewWalletAsync(ct: Ct);
        var message = MessageCompiler.CompileLegacy(wallet.PublicKey,
            [new SystemProgram.SystemTransfer(wallet.PublicKey, Keypair.Generate().PublicKey, 1_000_000).Build()],
            new Blockhash(Enumerable.Repeat((byte)3, 32).ToArray()));
        var bytes = new Transaction(message).Sign(wallet).Serialize();
        var error = await Should.ThrowAsync<RpcPreflightFailureException>(() => chain.Rpc.SendTransactionAsync(bytes, cancellationToken: Ct));
        error.Err!.Name.ShouldBe("BlockhashNotFound");
    }

    [Fact]
    public async Task malformed_bytes_get_the_nodes_deserialize_error_and_the_node_lives_on()
    {
        var error = await Should.ThrowAsync<RpcException>(() => chain.Rpc.SendTransactionAsync([1, 2, 3], cancellationToken: Ct));
        error.Code.ShouldBe(-32602);
        error.Message.ShouldContain("failed to deserialize");
        (await chain.Rpc.GetHealthAsync(Ct)).ShouldBe("ok");
    }
}
