// Reads a JSON array of requests on stdin and writes a JSON array of answers: the wallet-standard's SIWS message
// text, its parser and verifier (@solana/wallet-standard-util), and ed25519 signing (@noble/curves), for the C# tests.
import { createSignInMessageText, parseSignInMessageText, verifySignIn } from '@solana/wallet-standard-util';
import { ed25519 } from '@noble/curves/ed25519';

const hex = (bytes) => Buffer.from(bytes).toString('hex');
const bytes = (text) => Uint8Array.from(Buffer.from(text, 'hex'));
const utf8 = (text) => new TextEncoder().encode(text);

const answer = (request) => {
  switch (request.op) {
    case 'create':
      return { text: createSignInMessageText(request.input) };
    case 'parse':
      return { parsed: parseSignInMessageText(request.text) };
    case 'sign': {
      const seed = bytes(request.seed);
      return { signature: hex(ed25519.sign(utf8(request.text), seed)), publicKey: hex(ed25519.getPublicKey(seed)) };
    }
    case 'verify':
      return {
        verified: verifySignIn(request.input, {
          account: { publicKey: bytes(request.publicKey) },
          signedMessage: utf8(request.text),
          signature: bytes(request.signature),
        }),
      };
    default:
      throw new Error(`unknown op ${request.op}`);
  }
};

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify(JSON.parse(input).map(answer)));
});
