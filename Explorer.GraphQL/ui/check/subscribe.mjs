// A graphql-ws client (an independent implementation of graphql-transport-ws): node subscribe.mjs <ws-url> <query> <count>.
// Prints "connected", then each `next` payload as one JSON line; exits 0 after <count> of them.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, query, count] = process.argv.slice(2);
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  retryAttempts: 0,
  lazy: false,
  on: { connected: () => console.log('connected') },
});
let received = 0;
try {
  await new Promise((resolve, reject) => {
    const unsubscribe = client.subscribe({ query }, {
      next: (value) => {
        console.log(JSON.stringify(value));
        if (++received >= Number(count)) {
          unsubscribe();
          resolve();
        }
      },
      error: (e) => reject(e instanceof Error ? e : new Error(JSON.stringify(e))),
      complete: resolve,
    });
  });
} catch (e) {
  console.error(`subscription failed: ${e.message ?? e}`);
  process.exitCode = 1;
}
await client.dispose();
