extern alias marketplace;

using IoNet.Ledger.Chain;
using IoNet.Ledger.Devices;
using IoNet.Ledger.Market;
using IoNet.Ledger.Rentals;
using IoNet.Ledger.Store;
using IoNet.Solana.Keys;
using IoNet.TestSupport;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using marketplace::IoNet.Marketplace.Devices;
using marketplace::IoNet.Marketplace.Matching;
using marketplace::IoNet.Marketplace.ProofOfWork;
using marketplace::IoNet.Marketplace.Quotes;
using marketplace::IoNet.Marketplace.Rentals;
using marketplace::IoNet.Marketplace.Settlement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IoNet.ExplorerGraphQL.Tests.Support;

/// <summary>
/// A class fixture: a marketplace's life written into a PostgreSQL schema the way Marketplace.Api writes it (the real
/// deciders: DeviceDecisions, the OrderBookEngine with its journal stream and the reactions of a fill, RentalDecisions,
/// SettlementDecisions; proof-of-work documents as its API stores them), the indexer's chain events for the rentals'
/// money (RentalFunded / RentalSettled / RentalRefunded, one stream per signature with deterministic ids), Marten's
/// async daemon building every projection (as the indexer's and the marketplace's daemons do), and the explorer on a
/// real loopback port reading that schema.
/// </summary>
public sealed class MarketplaceLedger : IAsyncLifetime
{
    public PostgresSchema Schema { get; } = new();

    public DocumentStore Store { get; private set; } = null!;

    public WebApplicationFactory<Program> Explorer { get; private set; } = null!;

    public GraphQLClient GraphQL { get; private set; } = null!;

    public int Port { get; } = LoopbackPorts.Free();

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}");

    /// <summary>The same book the journal holds: what the marketplace's engine says about best asks and bids.</summary>
    public OrderBookEngine Book { get; } = new();

    /// <summary>Times of the scenario: three hours ago on (fills fall in the last 24 h, the active rental still runs).</summary>
    public DateTimeOffset T0 { get; } = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds());

    public string IosdMint { get; } = Address();
    public string UsdcMint { get; } = Address();
    public string IosdVault { get; } = Address();
    public string UsdcVault { get; } = Address();
    public string SupplierOne { get; } = Address();
    public string SupplierTwo { get; } = Address();
    public string SupplierThree { get; } = Address();
    public string BuyerOne { get; } = Address();
    public string BuyerTwo { get; } = Address();

    /// <summary>H100 ×2 (supplier one, Berlin): hired by <see cref="ActiveRental"/>; has proofs of work (one failed).</summary>
    public Guid H100Pair { get; } = Guid.NewGuid();

    /// <summary>H100 ×1 (supplier two, Paris): hired by <see cref="ActiveRental"/>.</summary>
    public Guid H100Single { get; } = Guid.NewGuid();

    /// <summary>A100 ×4 (supplier one, Austin): hired by <see cref="EndedRental"/>, released, back in the book.</summary>
    public Guid A100Quad { get; } = Guid.NewGuid();

    /// <summary>H100 ×1 (supplier two, Hamburg): in the book at the highest price (the H100 best ask once the others are hired).</summary>
    public Guid H100Spare { get; } = Guid.NewGuid();

    /// <summary>L4 ×1 (supplier three, Tokyo): never found eligible, paused by its owner; its ask is never matchable.</summary>
    public Guid L4Paused { get; } = Guid.NewGuid();

    public Guid ActiveRental { get; private set; }

    public Guid EndedRental { get; private set; }

    public Guid RestingBid { get; } = Guid.NewGuid();

    private IProjectionDaemon? _daemon;
    private ulong _slot = 1_000;

    public async ValueTask InitializeAsync()
    {
        await Schema.InitializeAsync();
        Store = DocumentStore.For(o =>
        {
            LedgerStore.ApplyConventions(o, Schema.ConnectionString, Schema.Name);
            LedgerStore.AddChainProjections(o, ProjectionLifecycle.Async);
            LedgerStore.AddMarketplaceProjections(o);
            o.Schema.For<ProofOfWorkChallengeRecord>();
            o.Schema.For<DeviceProofOfWork>();
        });
        await Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        _daemon = await Store.BuildProjectionDaemonAsync();
        await _daemon.StartAllAsync();

        await RunScenarioAsync();
        await CaughtUpAsync();

        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("IONET_DB", Schema.ConnectionString)
            .UseSetting("Explorer:Schema", Schema.Name)
            .UseSetting("Explorer:AddressFile", "/nonexistent/addresses.json")
            .UseSetting("Explorer:IosdMint", IosdMint)
            .UseSetting("Explorer:UsdcMint", UsdcMint)
            .UseSetting("Explorer:PollInterval", "00:00:00.100")
            .UseSetting("Explorer:Limits:Timeout", "00:01:00")
            .UseUrls(BaseUrl.ToString()));
        factory.UseKestrel();
        factory.StartServer();
        Explorer = factory;
        GraphQL = new GraphQLClient(new HttpClient { BaseAddress = BaseUrl });
    }

    /// <summary>Waits until the daemon has projected every stored event (the guard only keeps a broken run from hanging).</summary>
    public Task CaughtUpAsync() => Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(3));

    private async Task RunScenarioAsync()
    {
        // Devices register, an operator finds four of them fit, the L4's owner pauses it.
        await RegisterAsync(H100Pair, SupplierOne, "H100", 2, "DE", "Berlin", T0);
        await RegisterAsync(H100Single, SupplierTwo, "H100", 1, "FR", "Paris", T0);
        await RegisterAsync(A100Quad, SupplierOne, "A100", 4, "US", "Austin", T0);
        await RegisterAsync(H100Spare, SupplierTwo, "H100", 1, "DE", "Hamburg", T0);
        await RegisterAsync(L4Paused, SupplierThree, "L4", 1, "JP", "Tokyo", T0);
        foreach (var device in new[] { H100Pair, H100Single, A100Quad, H100Spare })
            await DecideDeviceAsync(device, state => DeviceDecisions.Decide(state, new SetDeviceEligibility(device, true, "checked by hand", SupplierThree, T0.AddMinutes(1))));
        await DecideDeviceAsync(L4Paused, state => DeviceDecisions.Decide(state, new PauseDevice(L4Paused, SupplierThree, T0.AddMinutes(1))));

        // Asks, then bids: a three-GPU H100 bid fills the pair and the single; an A100 bid rests below the ask, a
        // second one fills the quad.
        await AskAsync(H100Pair, 2_000_000, T0.AddMinutes(2));
        var singleAsk = await AskAsync(H100Single, 2_500_000, T0.AddMinutes(2));
        await AskAsync(A100Quad, 1_500_000, T0.AddMinutes(2));
        await AskAsync(H100Spare, 3_000_000, T0.AddMinutes(2));
        await AskAsync(L4Paused, 1_000_000, T0.AddMinutes(2));
        ActiveRental = (await BidAsync(Guid.NewGuid(), BuyerOne, "H100", 3, 2_600_000, 10, PaymentCurrencies.Iosd, T0.AddMinutes(3)))!.Value;
        (await BidAsync(RestingBid, BuyerTwo, "A100", 4, 1_400_000, 5, PaymentCurrencies.Usdc, T0.AddMinutes(4))).ShouldBeNull();
        EndedRental = (await BidAsync(Guid.NewGuid(), BuyerOne, "A100", 4, 1_600_000, 2, PaymentCurrencies.Usdc, T0.AddMinutes(5)))!.Value;

        // The single's supplier withdraws its ask while it is hired (it leaves the book when released); a buyer places an
        // H200 bid and cancels it (no H200 market is left).
        await JournalAsync(Book.Handle(new CancelOrder(singleAsk, SupplierTwo, T0.AddMinutes(5))));
        var h200 = Guid.NewGuid();
        (await BidAsync(h200, BuyerTwo, "H200", 1, 900_000, 1, PaymentCurrencies.Iosd, T0.AddMinutes(5))).ShouldBeNull();
        await JournalAsync(Book.Handle(new CancelOrder(h200, BuyerTwo, T0.AddMinutes(5))));

        // Both rentals are paid in full on chain; the A100 one is ended early by its buyer, released and settled.
        await PayAsync(ActiveRental, BuyerOne, IosdMint, IosdVault, T0.AddMinutes(6));
        await PayAsync(EndedRental, BuyerOne, UsdcMint, UsdcVault, T0.AddMinutes(7));
        var ended = await DecideRentalAsync(EndedRental, state => RentalDecisions.Decide(state, new EndRental(BuyerOne, T0.AddMinutes(67))));
        ended.ReleasesDevices.ShouldBeTrue();
        await JournalAsync(Book.Handle(new ReleaseDevices(EndedRental, T0.AddMinutes(67))));
        await SettleAsync(EndedRental, T0.AddMinutes(68));

        // The H100 pair answered two proof-of-work challenges: one verified, one too late.
        await ProofsAsync(H100Pair, T0);

        // Buyer two burned IO for credits twice: the credits desk minted IOSD for the first burn only (so far).
        PaidCreditRequest = Signature();
        OpenCreditRequest = Signature();
        var burnedAt = T0.AddMinutes(30).ToUnixTimeSeconds();
        await ChainAsync(new IoNet.Ledger.Tokens.CreditsRequested(PaidCreditRequest, _slot++, burnedAt, "1", BuyerTwo, Address(), 250_000_000, 2_000_000, null));
        await ChainAsync(new IoNet.Ledger.Tokens.CreditsPurchased(Signature(), _slot++, burnedAt + 5, "0", BuyerTwo, PaidCreditRequest, 250_000_000, 5_000_000, "2.000000"));
        await ChainAsync(new IoNet.Ledger.Tokens.CreditsRequested(OpenCreditRequest, _slot++, burnedAt + 60, "1", BuyerTwo, Address(), 100_000_000, 2_000_000, Guid.NewGuid()));
    }

    /// <summary>A credit request (IO burn) the credits desk paid with an IOSD mint.</summary>
    public string PaidCreditRequest { get; private set; } = "";

    /// <summary>A credit request not paid (yet).</summary>
    public string OpenCreditRequest { get; private set; } = "";

    private Task RegisterAsync(Guid device, string owner, string model, int gpus, string country, string city, DateTimeOffset at) =>
        AppendAsync(Device.StreamKey(device), DeviceDecisions.Decide(new RegisterDevice(
            device, owner, model, gpus, "EPYC-9654", 512, country, city, ConnectivityTier.Ultra, SecurityTier.Soc2, at)).Events);

    private async Task DecideDeviceAsync(Guid device, Func<Device?, DeviceDecision> decide)
    {
        await using var q = Store.QuerySession();
        var decision = decide(await q.LoadAsync<Device>(Device.StreamKey(device)));
        decision.Rejection.ShouldBeNull(decision.Detail);
        await AppendAsync(Device.StreamKey(device), decision.Events);
    }

    private async Task<Guid> AskAsync(Guid device, ulong price, DateTimeOffset now)
    {
        await using var q = Store.QuerySession();
        var d = (await q.LoadAsync<Device>(Device.StreamKey(device)))!;
        // OrderBookHost.Hireable: eligible and in service.
        var hireable = d.MarkedEligible && d.Status is DeviceStatus.Idle or DeviceStatus.Hired;
        var ask = Guid.NewGuid();
        await JournalAsync(Book.Handle(new PlaceAsk(ask, device, d.Owner, d.GpuModel!, "datacenter", d.GpuCount, d.Country,
            d.Connectivity, d.Security, hireable, price, 1, 48, now.AddDays(30), PaymentCurrencies.All, now)));
        return ask;
    }

    /// <summary>Places a bid; the rental it filled, or null when it rests.</summary>
    private async Task<Guid?> BidAsync(Guid bid, string buyer, string model, int gpus, ulong maxPrice, int hours, PaymentCurrencies currency, DateTimeOffset now)
    {
        var result = Book.Handle(new PlaceBid(bid, buyer, model, null, gpus, maxPrice, hours, [], ConnectivityTier.Low, SecurityTier.Standard,
            false, currency, now.AddDays(2), now));
        await JournalAsync(result);
        return result.Events.OfType<BidFilled>().SingleOrDefault()?.RentalId;
    }

    /// <summary>
    /// What OrderBookHost does with a decided command: its events into the journal stream and, in the same transaction,
    /// what they cause (MarketReactions): a fill's rental stream and its devices Hired, released devices Idle again.
    /// </summary>
    private async Task JournalAsync(CommandResult result)
    {
        result.Rejection.ShouldBeNull(result.Rejection?.Reason);
        await using var session = Store.LightweightSession();
        session.Events.Append(LedgerStore.MarketJournalStream, [.. result.Events.Cast<object>()]);
        foreach (var e in result.Events)
        {
            if (e is BidFilled filled)
            {
                var devices = filled.Devices.Select(d =>
                {
                    var ask = Book.FindAsk(d.AskId)!;
                    return new RentalDevice(d.AskId, d.DeviceId, d.Supplier, d.GpuModel, d.GpuCount, d.PricePerGpuHour, ask.MaxHours, ask.AvailableUntil);
                }).ToList();
                var price = RentalPrice.Of(filled.TotalPerHour, filled.Hours, filled.Currency, null);
                session.Events.StartStream<Rental>(Rental.StreamKey(filled.RentalId), RentalDecisions.Match(filled, devices, price, filled.At.AddMinutes(15)));
                foreach (var d in filled.Devices)
                    session.Events.Append(Device.StreamKey(d.DeviceId), new DeviceStatusChanged(d.DeviceId, DeviceStatus.Idle, DeviceStatus.Hired, $"hired for rental {filled.RentalId:N}", "market", filled.At));
            }
            else if (e is DevicesReleased released)
            {
                foreach (var device in released.DeviceIds)
                    session.Events.Append(Device.StreamKey(device), new DeviceStatusChanged(device, DeviceStatus.Hired, DeviceStatus.Idle, $"released from rental {released.RentalId:N}", "market", released.At));
            }
        }
        await session.SaveChangesAsync();
    }

    /// <summary>The buyer pays the amount due into the mint's escrow vault: the indexer's RentalFunded, then the marketplace's RentalPaymentFeed decision.</summary>
    private async Task PayAsync(Guid rental, string buyer, string mint, string vault, DateTimeOffset at)
    {
        await using var q = Store.QuerySession();
        var state = (await q.LoadAsync<Rental>(Rental.StreamKey(rental)))!;
        var funded = new RentalFunded(Signature(), _slot++, at.ToUnixTimeSeconds(), "0", Rental.StreamKey(rental), buyer, mint, state.AmountDue, vault);
        await ChainAsync(funded);
        await DecideRentalAsync(rental, s => RentalDecisions.Decide(s, new RecordPayment(funded.Signature, funded.Path, buyer, mint, vault, funded.Amount, mint, vault, at)));
    }

    private async Task<RentalDecision> DecideRentalAsync(Guid rental, Func<Rental?, RentalDecision> decide)
    {
        await using var q = Store.QuerySession();
        var decision = decide(await q.LoadAsync<Rental>(Rental.StreamKey(rental)));
        decision.Rejection.ShouldBeNull(decision.Detail);
        await AppendAsync(Rental.StreamKey(rental), decision.Events);
        return decision;
    }

    /// <summary>SettlementFeed's path: decide once, the escrow pays each supplier and refunds the buyer (chain events), then Settled.</summary>
    private async Task SettleAsync(Guid rental, DateTimeOffset at)
    {
        await using var q = Store.QuerySession();
        var state = (await q.LoadAsync<Rental>(Rental.StreamKey(rental)))!;
        var vaults = new Dictionary<string, string> { [IosdMint] = IosdVault, [UsdcMint] = UsdcVault };
        var decided = SettlementDecisions.Decide(state, new SettleRental(UsdcMint, vaults, at)).OfType<RentalSettlementDecided>().Single();
        await AppendAsync(Rental.StreamKey(rental), [decided]);
        var key = Rental.StreamKey(rental);
        var signatures = new List<string>();
        foreach (var payout in decided.Payouts)
        {
            var settled = new RentalSettled(Signature(), _slot++, at.ToUnixTimeSeconds(), "0", key, payout.Supplier, decided.Mint, payout.Amount, UsdcVault);
            await ChainAsync(settled);
            signatures.Add(settled.Signature);
        }
        if (decided.Refund > 0)
        {
            var refunded = new RentalRefunded(Signature(), _slot++, at.ToUnixTimeSeconds(), "0", key, decided.Buyer, decided.Mint, decided.Refund, UsdcVault);
            await ChainAsync(refunded);
            signatures.Add(refunded.Signature);
        }
        await AppendAsync(key, [new RentalSettlementCompleted(rental, signatures, at.AddSeconds(30))]);
    }

    /// <summary>As ProofOfWorkApi stores them: the challenge records (outcome set when decided) and the device's standing.</summary>
    private async Task ProofsAsync(Guid device, DateTimeOffset at)
    {
        await using var session = Store.LightweightSession();
        var verified = Guid.NewGuid();
        var late = Guid.NewGuid();
        session.Store(new ProofOfWorkChallengeRecord
        {
            Id = ProofOfWorkChallengeRecord.Key(verified), Challenge = verified, Device = device, DeviceKey = Address(), Seed = "00", Salt = "00",
            SampleCommitment = "00", N = 4096, K = 8, IssuedAt = at.AddMinutes(10), Deadline = at.AddMinutes(12), ExpectedComputeSeconds = 0.2,
            CommittedAt = at.AddMinutes(11), Root = "00", ElapsedMilliseconds = 180, Signature = "sig", Outcome = "Verified", CompletedAt = at.AddMinutes(11),
        });
        session.Store(new ProofOfWorkChallengeRecord
        {
            Id = ProofOfWorkChallengeRecord.Key(late), Challenge = late, Device = device, DeviceKey = Address(), Seed = "00", Salt = "00",
            SampleCommitment = "00", N = 4096, K = 8, IssuedAt = at.AddMinutes(20), Deadline = at.AddMinutes(22), ExpectedComputeSeconds = 0.2,
            Outcome = "Timeout", Detail = "no commitment before the deadline", CompletedAt = at.AddMinutes(22),
        });
        session.Store(new DeviceProofOfWork
        {
            Id = DeviceProofOfWork.Key(device), Device = device, DeviceKey = Address(), LastVerifiedAt = at.AddMinutes(11), LastChallenge = late,
            LastOutcome = "Timeout", LastOutcomeAt = at.AddMinutes(22), Verified = 1, Failed = 1,
        });
        await session.SaveChangesAsync();
    }

    /// <summary>A chain event as the indexer's ChainEventWriter stores it: a stream per signature, deterministic event ids.</summary>
    private async Task ChainAsync(params IChainEvent[] events)
    {
        await using var session = Store.LightweightSession();
        var wrapped = events.Select(e =>
        {
            var w = session.Events.BuildEvent(e);
            w.Id = EventIds.For(e);
            return (object)w;
        }).ToArray();
        session.Events.StartStream(events[0].Signature, wrapped);
        await session.SaveChangesAsync();
    }

    /// <summary>A new transaction the indexer stores now: a mint of a token and a burn of part of it (for tests that watch the explorer notice it).</summary>
    public async Task<string> MintAndBurnAsync()
    {
        var (signature, mint, owner, account) = (Signature(), Address(), Address(), Address());
        var at = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await ChainAsync(
            new IoNet.Ledger.Tokens.TokensMinted(signature, _slot, at, "0", mint, account, owner, 1_000),
            new IoNet.Ledger.Tokens.TokensBurned(signature, _slot, at, "1", mint, account, owner, 400));
        _slot++;
        return signature;
    }

    private async Task AppendAsync(string stream, IReadOnlyList<object> events)
    {
        if (events.Count == 0)
            return;
        await using var session = Store.LightweightSession();
        session.Events.Append(stream, [.. events]);
        await session.SaveChangesAsync();
    }

    /// <summary>Registers one more device (for tests that watch the explorer notice something new).</summary>
    public async Task<Guid> RegisterAnotherAsync(string model, int gpus, string country)
    {
        var device = Guid.NewGuid();
        await RegisterAsync(device, SupplierThree, model, gpus, country, "Elsewhere", DateTimeOffset.UtcNow);
        return device;
    }

    private static string Address()
    {
        using var key = Keypair.Generate();
        return key.PublicKey.ToString();
    }

    private static string Signature()
    {
        using var key = Keypair.Generate();
        return key.Sign(Guid.NewGuid().ToByteArray()).ToString();
    }

    public async ValueTask DisposeAsync()
    {
        GraphQL?.Http.Dispose();
        if (Explorer is not null)
            await Explorer.DisposeAsync();
        if (_daemon is not null)
        {
            await _daemon.StopAllAsync();
            _daemon.Dispose();
        }
        Store?.Dispose();
        await Schema.DisposeAsync();
    }
}
