// The GraphQL-over-HTTP spec's audit suite (npm graphql-http) against a running server: node audit.mjs <url>.
// Prints one JSON line per audit ({ id, name, status: ok | warn | error, reason }); exit 1 when a MUST fails.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs http://127.0.0.1:PORT/graphql');
  process.exit(2);
}
const results = await auditServer({ url, fetchFn: fetch });
for (const r of results) {
  const reason = r.status === 'ok' ? undefined : r.reason;
  console.log(JSON.stringify({ id: r.id, name: r.name, status: r.status, reason }));
}
const failed = results.filter((r) => r.status === 'error').length;
console.log(`audits: ${results.length}, ok: ${results.filter((r) => r.status === 'ok').length}, warn: ${results.filter((r) => r.status === 'warn').length}, error: ${failed}`);
process.exit(failed > 0 ? 1 : 0);
