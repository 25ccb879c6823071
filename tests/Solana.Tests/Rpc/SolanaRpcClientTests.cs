using System.Diagnostics;
using System.Net.Http.Headers;
using IoNet.Solana.Rpc;
using IoNet.Solana.Tests.Rpc.Server;

namespace IoNet.Solana.Tests.Rpc;

/// <summary>The HTTP client against a real Kestrel server on 127.0.0.1 that injects faults.</summary>
public sealed class SolanaRpcClientTests : IAsyncLifetime
{
    private FaultServer _server = null!;
    private SolanaRpcClient _client = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SolanaRpcClientOptions Fast = new()
    {
        // Long enough that a loaded CI machine never times out a healthy answer (which would add a request); the
        // timeout tests set their own.
        RequestTimeout = TimeSpan.FromSeconds(30),
        MaxRetries = 3,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
    };

    public async ValueTask InitializeAsync()
    {
        _server = await FaultServer.StartAsync();
        _server.Result("getSlot", "12345");
        _server.Result("getBlockHeight", "777");
        _client = new SolanaRpcClient(_server.HttpUri, Fast);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task get_transaction_always_asks_for_version_0_and_parses_the_replayed_fixture()
    {
        _server.ResultFromFixture("getTransaction", "getTransaction-json-v0-swap-loadedAddresses.json");
        var tx = await _client.GetTransactionAsync("4VhDRLUK", TransactionEncoding.Json, Commitment.Finalized, Ct);
        tx!.Version.ShouldBe(TransactionVersion.V0);
        tx.Meta!.ComputeUnitsConsumed.ShouldBe(310639UL);
        // Every attempt sends the same body (a loaded machine may retry after the short per-attempt timeout).
        var body = _server.Requests.Select(r => r.Body).Distinct().ShouldHaveSingleItem();
        body.ShouldContain("\"maxSupportedTransactionVersion\":0");
        body.ShouldContain("\"encoding\":\"json\"");
        body.ShouldContain("\"commitment\":\"finalized\"");
    }

    [Fact]
    public async Task every_method_sends_its_params_and_reads_its_result()
    {
        _server.Result("getLatestBlockhash", """{"context":{"slot":9},"value":{"blockhash":"EkSnNWid2cvwEVnVx9aBqawnmiCNiDgp3gUdkDPTKN1N","lastValidBlockHeight":3090}}""");
        _server.Result("isBlockhashValid", """{"context":{"slot":9},"value":true}""");
        _server.Result("getBalance", """{"context":{"slot":9},"value":18446744073709551615}""");
        _server.Result("getTokenAccountBalance", """{"context":{"slot":9},"value":{"amount":"9864","decimals":2,"uiAmount":98.64,"uiAmountString":"98.64"}}""");
        _server.Result("getTokenSupply", """{"context":{"slot":9},"value":{"amount":"80000000000000000","decimals":8,"uiAmount":800000000.0,"uiAmountString":"800000000"}}""");
        _server.Result("getBlocks", "[5,6,8]");
        _server.Result("getHealth", "\"ok\"");
        _server.Result("getVersion", """{"feature-set":2891131721,"solana-core":"1.16.7"}""");
        _server.Result("requestAirdrop", "\"5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW\"");
        _server.Result("sendTransaction", "\"2id3YC2jK9G5Wo2phDx4gJVAew8DcY5NAojnVuao8rkxwPYPe8cSwE5GzhEgJA2y8fVjDEo6iR6ykBvDxrTQrtpb\"");
        _server.Result("getSignatureStatuses", """{"context":{"slot":82},"value":[{"slot":48,"confirmations":null,"err":null,"status":{"Ok":null},"confirmationStatus":"finalized"},null]}""");
        _server.Result("getAccountInfo", """{"context":{"apiVersion":"2.0.15","slot":341197053},"value":{"data":["AQID","base64"],"executable":false,"lamports":88849814690250,"owner":"11111111111111111111111111111111","rentEpoch":18446744073709551615,"space":3}}""");
        _server.Result("getMultipleAccounts", """{"context":{"slot":1},"value":[null,{"data":{"parsed":{"info":{"decimals":8,"isInitialized":true,"supply":"100"},"type":"mint"},"program":"spl-token","space":82},"executable":false,"lamports":1461600,"owner":"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA","rentEpoch":0,"space":82}]}""");
        _server.Result("simulateTransaction", """{"context":{"slot":218},"value":{"err":null,"accounts":null,"logs":["Program 83astBRguLMdt2h5U1Tpdq5tjFoJ6noeGwaY3mDLVcri invoke [1]"],"returnData":{"data":["Kg==","base64"],"programId":"83astBRguLMdt2h5U1Tpdq5tjFoJ6noeGwaY3mDLVcri"},"unitsConsumed":2366}}""");
        _server.ResultFromFixture("getSignaturesForAddress", "getSignaturesForAddress.json");
        _server.ResultFromFixture("getBlock", "getBlock-base64.json");

        (await _client.GetSlotAsync(Commitment.Confirmed, Ct)).ShouldBe(12345UL);
        (await _client.GetBlockHeightAsync(null, Ct)).ShouldBe(777UL);
        var hash = await _client.GetLatestBlockhashAsync(Commitment.Finalized, Ct);
        (hash.Context.Slot, hash.Value.Blockhash, hash.Value.LastValidBlockHeight).ShouldBe((9UL, "EkSnNWid2cvwEVnVx9aBqawnmiCNiDgp3gUdkDPTKN1N", 3090UL));
        (await _client.IsBlockhashValidAsync("EkSn", Commitment.Processed, Ct)).Value.ShouldBeTrue();
        (await _client.GetBalanceAsync("addr", null, Ct)).Value.ShouldBe(ulong.MaxValue);
        (await _client.GetTokenAccountBalanceAsync("acct", null, Ct)).Value.BaseUnits.ShouldBe(9864UL);
        (await _client.GetTokenSupplyAsync("mint", null, Ct)).Value.Decimals.ShouldBe((byte)8);
        (await _client.GetBlocksAsync(5, 8, null, Ct)).ShouldBe([5UL, 6, 8]);
        (await _client.GetHealthAsync(Ct)).ShouldBe("ok");
        (await _client.GetVersionAsync(Ct)).SolanaCore.ShouldBe("1.16.7");
        (await _client.RequestAirdropAsync("addr", 1_000_000_000, null, Ct)).ShouldStartWith("5VERv8NM");
        (await _client.SendTransactionAsync([1, 2, 3], new SendTransactionOptions { SkipPreflight = true, PreflightCommitment = Commitment.Confirmed, MaxRetries = 0 }, Ct)).ShouldStartWith("2id3YC2j");
        var statuses = await _client.GetSignatureStatusesAsync(["a", "b"], true, Ct);
        statuses.Value[0]!.ConfirmationStatus.ShouldBe(Commitment.Finalized);
        statuses.Value[1].ShouldBeNull();
        var account = await _client.GetAccountInfoAsync("addr", AccountEncoding.Base64, null, Ct);
        account.Value!.Data.Bytes.ShouldBe(new byte[] { 1, 2, 3 });
        (account.Value.RentEpoch, account.Context.ApiVersion).ShouldBe((ulong.MaxValue, "2.0.15"));
        var many = await _client.GetMultipleAccountsAsync(["a", "b"], AccountEncoding.JsonParsed, null, Ct);
        many.Value[0].ShouldBeNull();
        (many.Value[1]!.Data.Program, many.Value[1]!.Data.Parsed!.Value.GetProperty("type").GetString()).ShouldBe(("spl-token", "mint"));
        var sim = await _client.SimulateTransactionAsync([9], new SimulateTransactionOptions { ReplaceRecentBlockhash = true }, Ct);
        (sim.Value.UnitsConsumed, sim.Value.ReturnData!.Data[0], sim.Value.Logs!.Count).ShouldBe((2366UL, (byte)42, 1));
        (await _client.GetSignaturesForAddressAsync("4Rf9", new SignaturesForAddressOptions { Limit = 3, Before = "b", Until = "u", MinContextSlot = 7 }, Ct)).Count.ShouldBe(3);
        (await _client.GetBlockAsync(147078735, TransactionEncoding.Base64, true, null, Ct))!.Transactions!.Count.ShouldBe(25);

        var bodies = _server.Requests.Select(r => r.Body).ToList();
        bodies.ShouldContain(b => b.Contains("\"method\":\"sendTransaction\"", StringComparison.Ordinal) && b.Contains("[\"AQID\",{\"encoding\":\"base64\",\"skipPreflight\":true,\"preflightCommitment\":\"confirmed\",\"maxRetries\":0}]", StringComparison.Ordinal));
        bodies.ShouldContain(b => b.Contains("\"params\":[\"4Rf9\",{\"limit\":3,\"before\":\"b\",\"until\":\"u\",\"minContextSlot\":7}]", StringComparison.Ordinal));
        bodies.ShouldContain(b => b.Contains("\"params\":[[\"a\",\"b\"],{\"searchTransactionHistory\":true}]", StringComparison.Ordinal));
        bodies.ShouldContain(b => b.Contains("\"method\":\"getBlock\",\"params\":[147078735,{\"encoding\":\"base64\",\"transactionDetails\":\"full\",\"rewards\":true,\"maxSupportedTransactionVersion\":0}]", StringComparison.Ordinal));
        bodies.ShouldContain(b => b.Contains("\"method\":\"getSlot\",\"params\":[{\"commitment\":\"confirmed\"}]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_429_with_retry_after_is_retried_after_that_delay()
    {
        _server.Enqueue(new Fault.Status(429, "1"));
        var watch = Stopwatch.StartNew();
        (await _client.GetSlotAsync(null, Ct)).ShouldBe(12345UL);
        // A lower bound only: the retry cannot come sooner on any machine (and how much later is the machine's load).
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950));
        _server.RequestCount("getSlot").ShouldBe(2);
    }

    [Fact]
    public void retry_after_is_read_as_seconds_or_as_an_http_date()
    {
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        SolanaRpcClient.RetryAfterOf(new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), now).ShouldBe(TimeSpan.FromSeconds(7));
        SolanaRpcClient.RetryAfterOf(new RetryConditionHeaderValue(now.AddSeconds(3)), now).ShouldBe(TimeSpan.FromSeconds(3));
        SolanaRpcClient.RetryAfterOf(new RetryConditionHeaderValue(now.AddSeconds(-3)), now).ShouldBe(TimeSpan.Zero);
        SolanaRpcClient.RetryAfterOf(null, now).ShouldBeNull();
    }

    [Fact]
    public async Task a_429_with_an_http_date_retry_after_is_honoured()
    {
        _server.Enqueue(new Fault.Status(429, DateTimeOffset.UtcNow.AddSeconds(2).ToString("R")));
        var watch = Stopwatch.StartNew();
        (await _client.GetSlotAsync(null, Ct)).ShouldBe(12345UL);
        // HTTP dates have whole seconds: the retry waits until at least 1 s after the start (a lower bound only).
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900));
        _server.RequestCount("getSlot").ShouldBe(2);
    }

    [Fact]
    public async Task a_429_that_persists_ends_in_a_rate_limited_error_with_its_retry_after()
    {
        using var client = new SolanaRpcClient(_server.HttpUri, Fast with { MaxRetries = 1 });
        _server.Enqueue(new Fault.Status(429, "0"), new Fault.Status(429, "0"));
        var e = await Should.ThrowAsync<RpcHttpException>(() => client.GetSlotAsync(null, Ct));
        (e.Kind, e.StatusCode, e.RetryAfter, e.IsTransient).ShouldBe((RpcErrorKind.RateLimited, 429, TimeSpan.Zero, true));
        e.Message.ShouldContain("429");
        _server.RequestCount("getSlot").ShouldBe(2);
    }

    [Fact]
    public async Task server_errors_resets_and_timeouts_are_retried_until_success()
    {
        _server.Enqueue(new Fault.Status(500), new Fault.Abort(), new Fault.Hang());
        (await _client.GetSlotAsync(null, Ct)).ShouldBe(12345UL);
        _server.RequestCount("getSlot").ShouldBe(4);
    }

    [Fact]
    public async Task a_request_that_always_hangs_ends_in_a_timeout_error()
    {
        using var client = new SolanaRpcClient(_server.HttpUri, Fast with { MaxRetries = 1, RequestTimeout = TimeSpan.FromMilliseconds(150) });
        _server.Enqueue(new Fault.Hang(), new Fault.Hang());
        var e = await Should.ThrowAsync<RpcException>(() => client.GetSlotAsync(null, Ct));
        e.Kind.ShouldBe(RpcErrorKind.Timeout);
        e.Message.ShouldContain("timed out");
    }

    [Fact]
    public async Task a_reset_connection_that_persists_ends_in_a_transport_error()
    {
        using var client = new SolanaRpcClient(_server.HttpUri, Fast with { MaxRetries = 1 });
        _server.Enqueue(new Fault.Abort(), new Fault.Abort());
        var e = await Should.ThrowAsync<RpcException>(() => client.GetSlotAsync(null, Ct));
        e.Kind.ShouldBe(RpcErrorKind.Transport);
    }

    [Fact]
    public async Task a_502_that_persists_ends_in_an_http_status_error()
    {
        using var client = new SolanaRpcClient(_server.HttpUri, Fast with { MaxRetries = 1 });
        _server.Enqueue(new Fault.Status(502), new Fault.Status(502));
        var e = await Should.ThrowAsync<RpcHttpException>(() => client.GetSlotAsync(null, Ct));
        (e.Kind, e.StatusCode).ShouldBe((RpcErrorKind.HttpStatus, 502));
    }

    [Fact]
    public async Task a_4xx_status_is_not_retried()
    {
        _server.Enqueue(new Fault.Status(403));
        var e = await Should.ThrowAsync<RpcHttpException>(() => _client.GetSlotAsync(null, Ct));
        e.StatusCode.ShouldBe(403);
        _server.RequestCount("getSlot").ShouldBe(1);
    }

    [Theory]
    [InlineData(-32004, RpcErrorKind.BlockNotAvailable)]
    [InlineData(-32007, RpcErrorKind.SlotSkipped)]
    [InlineData(-32009, RpcErrorKind.LongTermStorageSlotSkipped)]
    [InlineData(-32015, RpcErrorKind.UnsupportedTransactionVersion)]
    [InlineData(-32602, RpcErrorKind.InvalidRequest)]
    public async Task non_transient_rpc_errors_are_not_retried_and_keep_their_code(int code, RpcErrorKind kind)
    {
        _server.Enqueue(new Fault.RpcError(code, "Slot 100 was skipped, or missing due to ledger jump to recent snapshot"));
        var e = await Should.ThrowAsync<RpcException>(() => _client.GetBlockAsync(100, cancellationToken: Ct));
        (e.Code, e.Kind, e.Method, e.IsTransient).ShouldBe((code, kind, "getBlock", false));
        e.Message.ShouldContain(code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _server.RequestCount("getBlock").ShouldBe(1);
    }

    [Fact]
    public async Task a_preflight_failure_carries_the_simulation_err_and_logs_and_is_not_retried()
    {
        _server.Enqueue(new Fault.RpcError(-32002, "Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1",
            """{"accounts":null,"err":{"InstructionError":[0,{"Custom":1}]},"logs":["Program 11111111111111111111111111111111 invoke [1]","Transfer: insufficient lamports 19, need 100","Program 11111111111111111111111111111111 failed: custom program error: 0x1"],"unitsConsumed":150}"""));
        var e = await Should.ThrowAsync<RpcPreflightFailureException>(() => _client.SendTransactionAsync([1], null, Ct));
        e.Kind.ShouldBe(RpcErrorKind.PreflightFailure);
        (e.Err!.InstructionIndex, e.Err.CustomCode).ShouldBe((0, 1u));
        e.Logs.Count.ShouldBe(3);
        e.Logs[1].ShouldContain("insufficient lamports");
        e.Simulation!.UnitsConsumed.ShouldBe(150UL);
        e.Message.ShouldContain("InstructionError");
        _server.RequestCount("sendTransaction").ShouldBe(1);
    }

    [Fact]
    public async Task a_node_behind_is_retried_and_reports_how_far_behind_when_it_persists()
    {
        using var client = new SolanaRpcClient(_server.HttpUri, Fast with { MaxRetries = 1 });
        var behind = new Fault.RpcError(-32005, "Node is behind by 42 slots", """{"numSlotsBehind":42}""");
        _server.Enqueue(behind, behind);
        var e = await Should.ThrowAsync<RpcNodeUnhealthyException>(() => client.GetSlotAsync(null, Ct));
        (e.NumSlotsBehind, e.IsTransient).ShouldBe((42UL, true));
        _server.RequestCount("getSlot").ShouldBe(2);

        _server.Enqueue(new Fault.RpcError(-32016, "Minimum context slot has not been reached", """{"contextSlot":70}"""));
        (await client.GetSlotAsync(null, Ct)).ShouldBe(12345UL);
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"result\":")]
    [InlineData("<html>bad gateway</html>")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"result\":\"not a number\",\"id\":1}")]
    public async Task malformed_json_is_a_clear_malformed_response_error(string body)
    {
        _server.Enqueue(new Fault.Raw(body));
        var e = await Should.ThrowAsync<RpcException>(() => _client.GetSlotAsync(null, Ct));
        e.Kind.ShouldBe(RpcErrorKind.MalformedResponse);
        e.Message.ShouldContain("getSlot");
    }

    [Fact]
    public async Task the_rate_limit_spaces_requests_and_is_shared_between_clients()
    {
        using var limiter = RpcRateLimit.PerSecond(20);
        using var a = new SolanaRpcClient(_server.HttpUri, Fast with { RateLimiter = limiter });
        using var b = new SolanaRpcClient(_server.HttpUri, Fast with { RateLimiter = limiter });
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => (i % 2 == 0 ? a : b).GetSlotAsync(null, Ct)));
        // 12 requests with 1 token up front at 20/s: at least 11 × 50 ms; two separate limiters would need only 5 × 50 ms.
        // (Arrival times at the server are not asserted: the first request's connection set-up compresses them.)
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(500));
        _server.Requests.Count.ShouldBeGreaterThanOrEqualTo(12); // a slow machine may add a retry after a short per-attempt timeout
    }

    [Fact]
    public async Task a_high_rate_limit_keeps_refilling_and_lets_about_that_many_requests_through()
    {
        // A refill period of 10 µs rounds to a timer that never ticks again (the loop below would then wait forever):
        // high rates refill many tokens per tick of a period the timer keeps.
        using var limiter = RpcRateLimit.PerSecond(100_000, burst: 10);
        var period = ((System.Threading.RateLimiting.ReplenishingRateLimiter)limiter).ReplenishmentPeriod;
        period.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1));
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20_000; i++)
            (await limiter.AcquireAsync(1, Ct)).IsAcquired.ShouldBeTrue();
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(100)); // still a limit: 20k at 100k/s
    }

    [Fact]
    public async Task a_batch_matches_results_by_id_and_keeps_each_items_error()
    {
        _server.ResultFromFixture("getSignaturesForAddress", "getSignaturesForAddress.json");
        var batch = new RpcBatch();
        var slot = batch.Add(RpcRequests.GetSlot());
        var unknown = batch.Add(RpcRequests.GetHealth());
        var signatures = batch.Add(RpcRequests.GetSignaturesForAddress("4Rf9", new SignaturesForAddressOptions { Limit = 3 }));
        var height = batch.Add(RpcRequests.GetBlockHeight());
        await _client.SendBatchAsync(batch, Ct);
        slot.Value.ShouldBe(12345UL);
        height.Value.ShouldBe(777UL);
        signatures.Value.Count.ShouldBe(3);
        unknown.Error!.Code.ShouldBe(-32601);
        Should.Throw<RpcException>(() => unknown.Value).Method.ShouldBe("getHealth");
        _server.Requests.Count.ShouldBe(1);
        _server.Requests.Select(r => r.Body).Distinct().ShouldHaveSingleItem().ShouldStartWith("["); // retries repeat it
    }

    [Fact]
    public async Task a_batch_is_retried_as_a_whole_on_transient_failures()
    {
        _server.Enqueue(new Fault.Status(503));
        var batch = new RpcBatch();
        var slot = batch.Add(RpcRequests.GetSlot());
        await _client.SendBatchAsync(batch, Ct);
        slot.Value.ShouldBe(12345UL);
        _server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task cancellation_stops_a_hanging_request_and_is_not_retried()
    {
        // No per-attempt timeout: only the cancellation can end this call.
        using var client = new SolanaRpcClient(_server.HttpUri, Fast with { RequestTimeout = Timeout.InfiniteTimeSpan });
        var hang = new Fault.Hang();
        _server.Enqueue(hang);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var call = client.GetSlotAsync(null, cts.Token);
        // Cancel once the request hangs at the server, not after a fixed time (which may come before it was even sent).
        await hang.Reached.Task.WaitAsync(Ct);
        await cts.CancelAsync();
        // A guard against hanging, not a speed check.
        await Should.ThrowAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        await hang.Abandoned.Task.WaitAsync(Ct); // the client dropped the request, it did not just stop waiting
        _server.RequestCount("getSlot").ShouldBe(1);
    }

    [Fact]
    public async Task cancellation_also_stops_a_retry_wait()
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var client = new SolanaRpcClient(_server.HttpUri, Fast with { OnRetry = (_, _) => waiting.TrySetResult() });
        _server.Enqueue(new Fault.Status(429, "60"));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var call = client.GetSlotAsync(null, cts.Token);
        // Cancel once the client is about to wait the 429's Retry-After, not after a fixed time.
        await waiting.Task.WaitAsync(Ct);
        await cts.CancelAsync();
        // Were the wait not stopped, the retry would come after a minute and the call would succeed.
        await Should.ThrowAsync<OperationCanceledException>(() => call);
        _server.RequestCount("getSlot").ShouldBe(1);
    }

    [Fact]
    public void a_bad_endpoint_is_refused_with_the_sdk_exception()
    {
        Should.Throw<SolanaException>(() => new SolanaRpcClient("not a url"));
        Should.Throw<SolanaException>(() => RpcRateLimit.PerSecond(0));
    }

    [Fact]
    public async Task a_response_body_longer_than_the_cap_fails_the_call_with_a_clear_error_and_is_not_retried()
    {
        using var capped = new SolanaRpcClient(_server.HttpUri, Fast with { MaxResponseBytes = 1024 });
        var long4k = $"{{\"jsonrpc\":\"2.0\",\"result\":\"{new string('a', 4096)}\",\"id\":1}}";

        _server.Enqueue(new Fault.Raw(long4k));
        var streamed = await Should.ThrowAsync<RpcException>(() => capped.GetSlotAsync(cancellationToken: Ct));
        streamed.Kind.ShouldBe(RpcErrorKind.ResponseTooLarge);
        streamed.IsTransient.ShouldBeFalse();
        streamed.Message.ShouldBe("RPC getSlot: the node's response is longer than the 1024 bytes this client reads (SolanaRpcClientOptions.MaxResponseBytes).");
        _server.RequestCount("getSlot").ShouldBe(1);

        _server.Enqueue(new Fault.Raw(long4k, DeclareLength: true));
        (await Should.ThrowAsync<RpcException>(() => capped.GetSlotAsync(cancellationToken: Ct)))
            .Message.ShouldContain($"declares {long4k.Length} bytes, more than the 1024 bytes");

        // A body within the cap is read as always.
        (await capped.GetSlotAsync(cancellationToken: Ct)).ShouldBe(12345UL);
        new SolanaRpcClientOptions().MaxResponseBytes.ShouldBe(64L * 1024 * 1024);
        Should.Throw<SolanaException>(() => new SolanaRpcClient(_server.HttpUri, Fast with { MaxResponseBytes = 0 }));
    }

    [Fact]
    public async Task a_response_that_never_ends_is_cut_at_the_cap()
    {
        using var capped = new SolanaRpcClient(_server.HttpUri, Fast with { MaxResponseBytes = 1024 * 1024, RequestTimeout = TimeSpan.FromMinutes(5) });
        _server.Enqueue(new Fault.Endless());
        (await Should.ThrowAsync<RpcException>(() => capped.GetSlotAsync(cancellationToken: Ct))).Kind.ShouldBe(RpcErrorKind.ResponseTooLarge);
    }
}
