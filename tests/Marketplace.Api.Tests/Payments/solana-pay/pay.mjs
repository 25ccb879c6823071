// Reads a JSON array of requests on stdin, answers a JSON array (one answer per request, in order) on stdout.
// Ops: parse {url} -> the fields @solana/pay's parseURL reads; encode {fields} -> encodeURL's URL;
// fetchTransaction {rpc, account, link} -> the transaction a wallet gets from a transaction request (base64 wire bytes).
import { encodeURL, fetchTransaction, parseURL } from '@solana/pay';
import { address, createSolanaRpc, getBase64Decoder, getTransactionEncoder } from '@solana/kit';

const text = await new Promise(resolve => {
    let data = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', chunk => (data += chunk));
    process.stdin.on('end', () => resolve(data));
});

async function run(request) {
    try {
        switch (request.op) {
            case 'parse': {
                const parsed = parseURL(request.url);
                if ('link' in parsed)
                    return { ok: true, kind: 'transaction', link: String(parsed.link), label: parsed.label ?? null, message: parsed.message ?? null };
                return {
                    ok: true,
                    kind: 'transfer',
                    recipient: parsed.recipient,
                    amount: parsed.amount === undefined ? null : String(parsed.amount),
                    splToken: parsed.splToken ?? null,
                    reference: parsed.reference ?? [],
                    label: parsed.label ?? null,
                    message: parsed.message ?? null,
                    memo: parsed.memo ?? null,
                };
            }
            case 'encode': {
                const f = request.fields;
                if (f.link) return { ok: true, url: String(encodeURL({ link: new URL(f.link), label: f.label, message: f.message })) };
                return {
                    ok: true,
                    url: String(encodeURL({
                        recipient: address(f.recipient),
                        amount: f.amount == null ? undefined : Number(f.amount),
                        splToken: f.splToken ? address(f.splToken) : undefined,
                        reference: (f.reference ?? []).map(r => address(r)),
                        label: f.label ?? undefined,
                        message: f.message ?? undefined,
                        memo: f.memo ?? undefined,
                    })),
                };
            }
            case 'fetchTransaction': {
                const rpc = createSolanaRpc(request.rpc);
                const transaction = await fetchTransaction(rpc, address(request.account), request.link);
                return { ok: true, transaction: getBase64Decoder().decode(getTransactionEncoder().encode(transaction)) };
            }
            default:
                return { ok: false, error: `unknown op ${request.op}` };
        }
    } catch (error) {
        return { ok: false, error: `${error?.name ?? 'Error'}: ${error?.message ?? String(error)}` };
    }
}

const answers = [];
for (const request of JSON.parse(text)) answers.push(await run(request));
process.stdout.write(JSON.stringify(answers));
