using System.Text.Json;
using IoNet.Programs.AddressLookupTable;
using IoNet.Programs.Decoding;
using IoNet.Programs.Flows;
using IoNet.Programs.SystemProgram;
using IoNet.Solana.Keys;
using IoNet.Solana.Rpc;
using IoNet.Solana.Transactions;
using Xunit;

namespace IoNet.TestSupport;

/// <summary>A real localnet plus what tests need to act on it from C#: the genesis keypairs and a send-confirm-fetch helper.</summary>
public sealed class LocalnetChain : IAsyncLifetime
{
    public LocalnetProcess Process { get; init; } = new();

    public SolanaRpcClient Rpc { get; private set; } = null!;

    public IoNetAddresses Network { get; private set; } = null!;

    public Keypair Faucet { get; private set; } = null!;

    public Keypair Authority(string name) => Keypair.Load(Path(name));

    private string Path(string name) =>
        Process.Addresses.GetProperty("authorities").TryGetProperty(name, out var a)
            ? a.GetProperty("keypair").GetString()!
            : Process.Addresses.GetProperty("mints").GetProperty(name).GetProperty("authority").GetProperty("keypair").GetString()!;

    public async ValueTask InitializeAsync()
    {
        await Process.InitializeAsync();
        Rpc = new SolanaRpcClient(Process.RpcUrl);
        var mints = Process.Addresses.GetProperty("mints");
        MintInfo Mint(string name) => new(
            PublicKey.Parse(mints.GetProperty(name).GetProperty("address").GetString()!),
            mints.GetProperty(name).GetProperty("decimals").GetByte(),
            PublicKey.Parse(mints.GetProperty(name).GetProperty("tokenProgram").GetString()!));
        PublicKey Auth(string name) => PublicKey.Parse(Process.Addresses.GetProperty("authorities").GetProperty(name).GetProperty("address").GetString()!);
        Network = new IoNetAddresses(Mint("io"), Mint("iosd"), Mint("usdc"),
            PublicKey.Parse(mints.GetProperty("iosd").GetProperty("authority").GetProperty("address").GetString()!),
            Auth("escrow"), Auth("treasury"), Auth("stake"));
        Faucet = Authority("faucet");
    }

    public async ValueTask DisposeAsync()
    {
        Rpc.Dispose();
        await Process.DisposeAsync();
    }

    /// <summary>Compiles, signs in C#, sends, waits until the node has it, and returns the node's own record of it.</summary>
    public async Task<TransactionResponse> ExecuteAsync(Keypair payer, IReadOnlyList<TransactionInstruction> instructions, IReadOnlyList<Keypair>? signers = null, CancellationToken ct = default)
    {
        var bytes = await SignAsync(payer, instructions, signers, ct);
        var signature = await Rpc.SendTransactionAsync(bytes, cancellationToken: ct);
        return await ConfirmAsync(signature, ct);
    }

    public async Task<byte[]> SignAsync(Keypair payer, IReadOnlyList<TransactionInstruction> instructions, IReadOnlyList<Keypair>? signers = null, CancellationToken ct = default)
    {
        var blockhash = (await Rpc.GetLatestBlockhashAsync(cancellationToken: ct)).Value.Blockhash;
        var message = MessageCompiler.CompileLegacy(payer.PublicKey, instructions, Blockhash.Parse(blockhash));
        var tx = new Transaction(message);
        tx.Sign([payer, .. (signers ?? []).Where(s => s.PublicKey != payer.PublicKey && message.AccountKeys.Take(message.Header.NumRequiredSignatures).Contains(s.PublicKey))]);
        return tx.Serialize();
    }

    /// <summary>As <see cref="ExecuteAsync"/>, for a v0 transaction that loads accounts through <paramref name="lookupTables"/>.</summary>
    public async Task<TransactionResponse> ExecuteV0Async(
        Keypair payer, IReadOnlyList<TransactionInstruction> instructions, IReadOnlyList<AddressLookupTableAccount> lookupTables,
        IReadOnlyList<Keypair>? signers = null, CancellationToken ct = default)
    {
        var blockhash = (await Rpc.GetLatestBlockhashAsync(cancellationToken: ct)).Value.Blockhash;
        var signature = await Rpc.SendTransactionAsync(SignV0(payer, instructions, Blockhash.Parse(blockhash), lookupTables, signers), cancellationToken: ct);
        return await ConfirmAsync(signature, ct);
    }

    /// <summary>Compiles a v0 message (non-signer, non-program keys found in the tables are loaded from them) and signs it.</summary>
    public static byte[] SignV0(
        Keypair payer, IReadOnlyList<TransactionInstruction> instructions, Blockhash blockhash,
        IReadOnlyList<AddressLookupTableAccount> lookupTables, IReadOnlyList<Keypair>? signers = null)
    {
        var message = MessageCompiler.CompileV0(payer.PublicKey, instructions, blockhash, lookupTables);
        var tx = new Transaction(message);
        tx.Sign([payer, .. (signers ?? []).Where(s => s.PublicKey != payer.PublicKey && message.AccountKeys.Take(message.Header.NumRequiredSignatures).Contains(s.PublicKey))]);
        return tx.Serialize();
    }

    /// <summary>
    /// Creates a lookup table of <paramref name="authority"/>, extends it with <paramref name="addresses"/> and waits
    /// until it is usable (a table extended in slot S serves transactions from slot S + 1 on).
    /// </summary>
    public async Task<AddressLookupTableAccount> CreateLookupTableAsync(Keypair authority, IReadOnlyList<PublicKey> addresses, CancellationToken ct = default)
    {
        var slot = await Rpc.GetSlotAsync(cancellationToken: ct);
        // localnet's SlotHashes includes the current slot (and at genesis there is no earlier one).
        var create = CreateLookupTable.For(authority.PublicKey, authority.PublicKey, slot);
        try
        {
            Succeeded(await ExecuteAsync(authority, [create.Build()], [authority], ct), "CreateLookupTable");
        }
        catch (RpcPreflightFailureException e)
        {
            throw new InvalidOperationException($"CreateLookupTable at recent slot {create.RecentSlot} (getSlot said {slot}): {e.Message}\n{string.Join("\n", e.Logs)}", e);
        }
        for (var i = 0; i < addresses.Count; i += 20)
        {
            var chunk = addresses.Skip(i).Take(20).ToArray();
            Succeeded(await ExecuteAsync(authority, [new ExtendLookupTable(create.Table, authority.PublicKey, authority.PublicKey, chunk).Build()], [authority], ct), "ExtendLookupTable");
        }
        var state = await LookupTableAsync(create.Table, ct);
        if (!state.Addresses.SequenceEqual(addresses))
            throw new InvalidOperationException($"lookup table {create.Table} holds other addresses than were added");
        // A table is usable from the slot after its last extension: poll the node's slot until it is past it.
        for (var i = 0; await Rpc.GetSlotAsync(cancellationToken: ct) <= state.LastExtendedSlot; i++)
        {
            if (i == 2_400)
                throw new TimeoutException($"the localnet's slot did not pass {state.LastExtendedSlot} (a guard against hanging)");
            await Task.Delay(25, ct);
        }
        return state.ToAccount(create.Table);
    }

    /// <summary>A lookup table's state as the node holds it now.</summary>
    public async Task<AddressLookupTableState> LookupTableAsync(PublicKey table, CancellationToken ct = default)
    {
        var account = (await Rpc.GetAccountInfoAsync(table.ToString(), AccountEncoding.Base64, null, ct)).Value
            ?? throw new InvalidOperationException($"lookup table {table} does not exist");
        return AddressLookupTableState.Decode(account.Data.Bytes!);
    }

    private async Task<TransactionResponse> ConfirmAsync(string signature, CancellationToken ct)
    {
        for (var i = 0; i < 100; i++)
        {
            var status = (await Rpc.GetSignatureStatusesAsync([signature], cancellationToken: ct)).Value[0];
            if (status is not null)
                return (await Rpc.GetTransactionAsync(signature, TransactionEncoding.Json, cancellationToken: ct))!;
            await Task.Delay(50, ct);
        }
        throw new TimeoutException($"{signature} did not land");
    }

    private static void Succeeded(TransactionResponse response, string what)
    {
        if (response.Meta?.Err is not null)
            throw new InvalidOperationException($"{what} failed: {string.Join("\n", response.Meta.LogMessages ?? [])}");
    }

    /// <summary>A new funded wallet (SOL for fees and rent from the faucet).</summary>
    public async Task<Keypair> NewWalletAsync(ulong lamports = 2_000_000_000, CancellationToken ct = default)
    {
        var wallet = Keypair.Generate();
        await ExecuteAsync(Faucet, [new SystemTransfer(Faucet.PublicKey, wallet.PublicKey, lamports).Build()], ct: ct);
        return wallet;
    }

    /// <summary>The token balance of an account, in base units (0 when it does not exist).</summary>
    public async Task<ulong> TokenBalanceAsync(PublicKey account, CancellationToken ct = default)
    {
        try
        {
            return (await Rpc.GetTokenAccountBalanceAsync(account.ToString(), cancellationToken: ct)).Value.BaseUnits;
        }
        catch (RpcException)
        {
            return 0;
        }
    }

    /// <summary>The top-level instructions of a landed transaction as the decoder reads them back from the node.</summary>
    public static IReadOnlyList<object> TopLevel(TransactionResponse response) =>
        TransactionDecoder.Decode(response).Instructions.Where(i => i.IsTopLevel).Select(i => i.Instruction).ToList();

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
