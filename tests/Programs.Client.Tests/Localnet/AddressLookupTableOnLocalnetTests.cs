using IoNet.Programs.AddressLookupTable;
using IoNet.Programs.SystemProgram;
using IoNet.Solana.Keys;
using IoNet.TestSupport;

namespace IoNet.Programs.Tests.Localnet;

/// <summary>Lookup tables built in C#, created and extended by the real program; v0 transactions load accounts through them.</summary>
public sealed class AddressLookupTableOnLocalnetTests(LocalnetChain chain) : IClassFixture<LocalnetChain>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_table_is_created_extended_used_by_a_v0_transaction_frozen_and_deactivated()
    {
        var authority = await chain.NewWalletAsync(10_000_000_000, Ct);
        var recipients = Enumerable.Range(0, 25).Select(_ => Keypair.Generate().PublicKey).ToArray();
        var table = await chain.CreateLookupTableAsync(authority, recipients, Ct);

        var state = await chain.LookupTableAsync(table.Key, Ct);
        (state.Authority, state.IsActive).ShouldBe((authority.PublicKey, true));
        state.Addresses.ShouldBe(recipients);
        table.Addresses.ShouldBe(recipients);
        (await chain.Rpc.GetSlotAsync(cancellationToken: Ct)).ShouldBeGreaterThan(state.LastExtendedSlot);

        // Two recipients come from the table: the message names them by index only.
        var response = await chain.ExecuteV0Async(authority,
            [new SystemTransfer(authority.PublicKey, recipients[3], 1_000_000).Build(), new SystemTransfer(authority.PublicKey, recipients[24], 2_000_000).Build()],
            [table], ct: Ct);
        response.Meta!.Err.ShouldBeNull(string.Join('\n', response.Meta.LogMessages ?? []));
        response.Meta.LoadedAddresses!.Writable.ShouldBe([recipients[3].ToString(), recipients[24].ToString()], ignoreOrder: true);
        (await chain.Rpc.GetBalanceAsync(recipients[24].ToString(), cancellationToken: Ct)).Value.ShouldBe(2_000_000UL);

        var deactivate = await chain.ExecuteAsync(authority, [new DeactivateLookupTable(table.Key, authority.PublicKey).Build()], [authority], Ct);
        deactivate.Meta!.Err.ShouldBeNull(string.Join('\n', deactivate.Meta.LogMessages ?? []));
        var deactivated = await chain.LookupTableAsync(table.Key, Ct);
        deactivated.IsActive.ShouldBeFalse();
        deactivated.DeactivationSlot.ShouldBe(deactivate.Slot);
    }

    [Fact]
    public async Task a_frozen_table_has_no_authority_and_cannot_be_extended()
    {
        var authority = await chain.NewWalletAsync(10_000_000_000, Ct);
        var table = await chain.CreateLookupTableAsync(authority, [Keypair.Generate().PublicKey], Ct);
        var freeze = await chain.ExecuteAsync(authority, [new FreezeLookupTable(table.Key, authority.PublicKey).Build()], [authority], Ct);
        freeze.Meta!.Err.ShouldBeNull(string.Join('\n', freeze.Meta.LogMessages ?? []));
        (await chain.LookupTableAsync(table.Key, Ct)).Authority.ShouldBeNull();

        var extend = await chain.SignAsync(authority, [new ExtendLookupTable(table.Key, authority.PublicKey, authority.PublicKey, [Keypair.Generate().PublicKey]).Build()], [authority], Ct);
        await Should.ThrowAsync<IoNet.Solana.Rpc.RpcException>(() => chain.Rpc.SendTransactionAsync(extend, cancellationToken: Ct));
    }
}
