// The Solana PubSub websocket API: slotSubscribe, logsSubscribe, signatureSubscribe and their unsubscribes,
// with notifications shaped exactly as a real node sends them.
import { WebSocketServer } from 'ws';

export function startPubsub(chain, host, port) {
  const wss = new WebSocketServer({ host, port, maxPayload: 1024 * 1024 });
  let nextId = 1;
  const subscriptions = new Map(); // id -> { socket, kind, filter }

  const send = (socket, payload) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
  };
  const notify = (id, method, result) => {
    const sub = subscriptions.get(id);
    if (sub) send(sub.socket, { jsonrpc: '2.0', method, params: { result, subscription: id } });
  };

  chain.listeners.slot.push((block) => {
    for (const [id, sub] of subscriptions) {
      if (sub.kind === 'slot') notify(id, 'slotNotification', { parent: Number(block.parentSlot), root: Number(block.parentSlot), slot: Number(block.slot) });
    }
  });
  chain.listeners.transaction.push((record) => {
    for (const [id, sub] of subscriptions) {
      if (sub.kind === 'logs' && (sub.filter === 'all' || sub.filter === 'allWithVotes' || record.keys.all.includes(sub.filter))) {
        notify(id, 'logsNotification', { context: { slot: Number(record.slot) }, value: { err: record.err, logs: record.logs, signature: record.signature } });
      }
      if (sub.kind === 'signature' && sub.filter === record.signature) {
        notify(id, 'signatureNotification', { context: { slot: Number(record.slot) }, value: { err: record.err } });
        subscriptions.delete(id); // one-shot, as a real node does
      }
    }
  });

  wss.on('connection', (socket) => {
    socket.on('message', (raw) => {
      let request;
      try {
        request = JSON.parse(raw.toString('utf8'));
      } catch {
        return send(socket, { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
      }
      const id = request?.id ?? null;
      const params = Array.isArray(request?.params) ? request.params : [];
      const ok = (result) => send(socket, { jsonrpc: '2.0', result, id });
      const fail = (code, message) => send(socket, { jsonrpc: '2.0', error: { code, message }, id });
      try {
        switch (request?.method) {
          case 'slotSubscribe': {
            const sub = nextId++;
            subscriptions.set(sub, { socket, kind: 'slot' });
            return ok(sub);
          }
          case 'logsSubscribe': {
            const filter = params[0];
            let value;
            if (filter === 'all' || filter === 'allWithVotes') value = filter;
            else if (Array.isArray(filter?.mentions) && filter.mentions.length === 1 && typeof filter.mentions[0] === 'string') value = filter.mentions[0];
            else return fail(-32602, 'Invalid params: logsSubscribe needs "all" or {"mentions": [<one address>]}');
            const sub = nextId++;
            subscriptions.set(sub, { socket, kind: 'logs', filter: value });
            return ok(sub);
          }
          case 'signatureSubscribe': {
            if (typeof params[0] !== 'string') return fail(-32602, 'Invalid params: signature');
            const sub = nextId++;
            subscriptions.set(sub, { socket, kind: 'signature', filter: params[0] });
            ok(sub);
            const known = chain.transactions.get(params[0]);
            if (known) {
              notify(sub, 'signatureNotification', { context: { slot: Number(known.slot) }, value: { err: known.err } });
              subscriptions.delete(sub);
            }
            return undefined;
          }
          case 'slotUnsubscribe':
          case 'logsUnsubscribe':
          case 'signatureUnsubscribe': {
            const sub = subscriptions.get(params[0]);
            if (!sub || sub.socket !== socket) return fail(-32602, 'Invalid subscription id.');
            subscriptions.delete(params[0]);
            return ok(true);
          }
          default:
            return fail(-32601, 'Method not found');
        }
      } catch (e) {
        // Bad params are answered -32602 above; anything else is the node's own failure.
        return fail(-32603, `Internal error: ${e.message}`);
      }
    });
    socket.on('close', () => {
      for (const [id, sub] of subscriptions) if (sub.socket === socket) subscriptions.delete(id);
    });
  });

  return new Promise((ok, fail) => {
    wss.once('error', fail);
    wss.once('listening', () => ok(wss));
  });
}
