using BenchmarkDotNet.Attributes;
using IoNet.Solana.Keys;
using IoNet.Solana.Transactions;
using NSec.Cryptography;

namespace IoNet.Benchmarks.Wire;

/// <summary>Signing the ~1 KB transaction's message: the SDK against the raw NSec ed25519 call on the same bytes.</summary>
[MemoryDiagnoser]
public class SignBenchmarks
{
    private readonly byte[] _message = WireSamples.Message.Serialize();
    private readonly byte[] _signature = new byte[64];
    private readonly Keypair _keypair = WireSamples.Signers[0];
    private readonly Key _key = Key.Import(SignatureAlgorithm.Ed25519, WireSamples.Signers[0].SecretKey()[..32], KeyBlobFormat.RawPrivateKey);
    private readonly Signature _sdkSignature = WireSamples.Signers[0].Sign(WireSamples.Message.Serialize());

    [Benchmark(Baseline = true)]
    public byte[] NSecSign()
    {
        SignatureAlgorithm.Ed25519.Sign(_key, _message, _signature);
        return _signature;
    }

    [Benchmark]
    public Signature KeypairSign() => _keypair.Sign(_message);

    /// <summary>One signer's slot of the transaction (the message bytes are already known).</summary>
    [Benchmark]
    public Transaction PartialSignTransaction() => new Transaction(WireSamples.Message).PartialSign(_keypair);

    [Benchmark]
    public bool KeypairVerify() => Keypair.Verify(_keypair.PublicKey, _message, _sdkSignature);
}
