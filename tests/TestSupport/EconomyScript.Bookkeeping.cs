using IoNet.Programs.Flows;
using IoNet.Solana.Keys;

namespace IoNet.TestSupport;

/// <summary>The <see cref="EconomyScript"/>'s bookkeeping: how each operation updates its <see cref="EconomyModel"/>, and the seeded draws.</summary>
public sealed partial class EconomyScript
{
    // ---------- the model's bookkeeping ----------

    private bool Done()
    {
        Model.Counts.Operations++;
        return true;
    }

    private PublicKey OwnerOfVault(string name) => name switch
    {
        "escrow-iosd" or "escrow-io" => Network.EscrowAuthority,
        "treasury" => Network.TreasuryAuthority,
        _ => Network.StakeAuthority,
    };

    private ulong Balance(PublicKey owner, PublicKey mint) => _balances.GetValueOrDefault((owner, mint));

    private ulong Balance(PublicKey owner, MintInfo mint) => Balance(owner, mint.Address);

    /// <summary>Takes <paramref name="amount"/> from an owner's token account: to another owner's, or burned.</summary>
    private void Move(PublicKey from, MintInfo mint, ulong amount, PublicKey? to = null, bool burned = false)
    {
        var have = Balance(from, mint.Address);
        if (have < amount)
            throw new InvalidOperationException($"the model lets {from} spend {amount} of {mint.Address} but it holds {have}");
        _balances[(from, mint.Address)] = have - amount;
        if (Model.Vaults.TryGetValue(mint.AccountOf(from).ToString(), out var source))
            source.Out += amount;
        if (burned)
            Model.Mints[mint.Address.ToString()].Burned += amount;
        if (to is { } destination)
            Credit(destination, mint, amount, minted: false);
    }

    private void Credit(PublicKey owner, MintInfo mint, ulong amount, bool minted)
    {
        _balances[(owner, mint.Address)] = Balance(owner, mint.Address) + amount;
        _tokenAccounts.Add(mint.AccountOf(owner));
        if (Model.Vaults.TryGetValue(mint.AccountOf(owner).ToString(), out var vault))
            vault.In += amount;
        if (minted)
            Model.Mints[mint.Address.ToString()].Minted += amount;
    }

    private WalletExpectation Wallet(PublicKey wallet)
    {
        if (!Model.Wallets.TryGetValue(wallet.ToString(), out var w))
            Model.Wallets[wallet.ToString()] = w = new WalletExpectation();
        return w;
    }

    private RentalExpectation RentalOf(Rental rental)
    {
        if (!Model.Rentals.TryGetValue(Hex(rental.Id), out var r))
            Model.Rentals[Hex(rental.Id)] = r = new RentalExpectation(rental.Mint.Address.ToString(), rental.Buyer.PublicKey.ToString());
        return r;
    }

    private DeviceExpectation DeviceOf(Device device)
    {
        if (!Model.Devices.TryGetValue(Hex(device.Id), out var d))
            Model.Devices[Hex(device.Id)] = d = new DeviceExpectation();
        return d;
    }

    private static void Add(Dictionary<string, ulong> sums, string key, ulong amount) => sums[key] = checked(sums.GetValueOrDefault(key) + amount);

    private static string Hex(Guid id) => id.ToString("N");

    private T? Pick<T>(IEnumerable<T> candidates) where T : class
    {
        var list = candidates.ToList();
        return list.Count == 0 ? null : list[_rng.Next(list.Count)];
    }

    /// <summary>A uniformly drawn amount in [min, max] (max below min gives min).</summary>
    private ulong Amount(ulong min, ulong max) => max <= min ? min : min + (ulong)_rng.NextInt64(0, (long)Math.Min(max - min, long.MaxValue - 1) + 1);

    private Guid NewGuid()
    {
        var bytes = new byte[16];
        _rng.NextBytes(bytes);
        return new Guid(bytes);
    }
}
