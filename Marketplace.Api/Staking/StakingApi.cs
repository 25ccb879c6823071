using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Staking;
using IoNet.Marketplace.Chain;
using IoNet.Marketplace.Devices;
using IoNet.Marketplace.Http;
using IoNet.Marketplace.ProofOfWork;
using IoNet.Programs.Flows;
using IoNet.Programs.SolanaPay;
using IoNet.Solana.Keys;
using IoNet.Solana.Messages;
using IoNet.Solana.Transactions;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IoNet.Marketplace.Staking;

/// <summary>
/// Staking over HTTP: the owner asks for the Stake transaction (docs/onchain.md: memo "stake", TransferChecked of IO
/// into the stake vault with the device's reference) to sign in its wallet; anyone reads the device's stake as the
/// Indexer stored it (<see cref="DeviceEarnings"/>) against what eligibility requires.
/// </summary>
public static class StakingApi
{
    public static IEndpointRouteBuilder MapStaking(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/devices").WithTags("Staking");
        group.MapPost("/{id}/stake", Stake).RequireAuthorization(WalletPrincipal.WalletPolicy)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("The unsigned Stake transaction (base64, fee payer and signer: the owner's wallet) for the device");
        group.MapGet("/{id}/stake", Get).AllowAnonymous()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The device's stake as indexed: deposited, withdrawn, slashed, staked, required, cooldown, withdrawable");
        return app;
    }

    // Services are plain parameters, not an [AsParameters] record (as PayApi): ChainAccess.Network reads the address file.
    private static async Task<Results<Ok<StakeTransactionView>, ValidationProblem, ProblemHttpResult>> Stake(
        Guid id, StakeRequest request, ClaimsPrincipal user, IDocumentStore store, ChainAccess chain, CancellationToken ct)
    {
        if (request.Amount is not { } amount || amount == 0)
            return ApiProblems.Invalid("Amount", "The Amount field must be a positive number of IO base units.");
        await using var session = store.QuerySession();
        var device = await session.LoadAsync<Device>(Device.StreamKey(id), ct);
        if (device is null)
            return ApiProblems.NotFound($"No device {id} is registered.");
        var wallet = user.RequireWallet();
        if (device.Owner != wallet)
            return ApiProblems.Forbidden($"Device {id} belongs to another wallet: its owner stakes for it.");
        IoNetAddresses network;
        try
        {
            network = chain.Network;
        }
        catch (IoNet.Solana.SolanaException)
        {
            return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "The marketplace cannot read the network's addresses (Marketplace:Chain:AddressFile) yet; try again later.");
        }
        var owner = PublicKey.Parse(wallet);
        var instructions = IoNetFlows.Stake(owner, network.Io, network.StakeAuthority, id, amount);
        var blockhash = (await chain.Rpc.GetLatestBlockhashAsync(cancellationToken: ct)).Value.Blockhash;
        var message = MessageCompiler.CompileLegacy(owner, instructions, Blockhash.Parse(blockhash));
        var transaction = new IoNet.Solana.Transactions.Transaction(message).ToBase64(requireAllSignatures: false);
        return TypedResults.Ok(new StakeTransactionView(id, amount, TokenAmount.Format(amount, network.Io.Decimals), network.StakeVault.ToString(),
            IoNetReferences.Device(id).ToString(), new StakeMemo(id).Text, transaction,
            $"Stake {TokenAmount.Format(amount, network.Io.Decimals)} IO for device {id:N}"));
    }

    private static async Task<Results<Ok<StakeView>, ProblemHttpResult>> Get(
        Guid id, IDocumentStore store, HardwareCatalogue catalogue, ProofOfWorkSettings proofOfWork, StakingSettings settings, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var device = await session.LoadAsync<Device>(Device.StreamKey(id), ct);
        if (device is null)
            return ApiProblems.NotFound($"No device {id} is registered.");
        var stake = await IndexedStake.ReadAsync(session, Device.StreamKey(id), ct);
        var required = new ProofOfWorkEligibility(store, catalogue, proofOfWork).RequiredStake(device);
        return TypedResults.Ok(new StakeView(id, stake.Deposited, stake.Withdrawn, stake.Slashed, stake.Staked, required, stake.Staked >= required, settings.UnstakeCooldown.TotalDays, 0));
    }

}

public sealed record StakeRequest
{
    /// <summary>IO base units (8 decimals) to move into the stake vault for the device.</summary>
    [Required]
    public ulong? Amount { get; init; }
}

/// <summary>The Stake transaction to sign (base64, legacy message, only the owner's signature missing) and what it does.</summary>
public sealed record StakeTransactionView(
    Guid Device, ulong Amount, string AmountText, string Vault, string Reference, string Memo, string Transaction, string Message);

/// <summary>
/// A device's stake in IO base units as the Indexer stored it: <see cref="Staked"/> = deposited − withdrawn − slashed;
/// <see cref="Required"/> = 200 IO × max(1, hardware multiplier) per GPU. Unstaking (a request, then
/// <see cref="CooldownDays"/> until it is <see cref="Withdrawable"/>) is not offered over HTTP yet: nothing is withdrawable.
/// </summary>
public sealed record StakeView(
    Guid Device, ulong Deposited, ulong Withdrawn, ulong Slashed, ulong Staked, ulong Required, bool Enough, double CooldownDays, ulong Withdrawable);

/// <summary>Marketplace:Staking.</summary>
public sealed class StakingSettings
{
    public const string Section = "Marketplace:Staking";

    /// <summary>Between asking to unstake and being able to withdraw (Suppliers.Staking.StakeRules).</summary>
    public TimeSpan UnstakeCooldown { get; set; } = Suppliers.Staking.StakeRules.Default.UnstakeCooldown;
}
