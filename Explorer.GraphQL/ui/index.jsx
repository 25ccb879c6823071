import './workers.js';
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { createClient } from 'graphql-ws';
import 'graphiql/style.css';

// Same origin: queries over HTTP at /graphql, subscriptions over WebSocket on the same path (graphql-transport-ws).
const http = new URL('/graphql', window.location.href).toString();
const ws = http.replace(/^http/, 'ws');
const fetcher = createGraphiQLFetcher({ url: http, wsClient: createClient({ url: ws, lazy: true }) });

const defaultQuery = `# IoNet Explorer. Amounts are base units as decimal strings.
query Home {
  network {
    io { supply burned }
    iosd { supply }
    paidToSuppliers { mint amount }
    devices clusters rewardBlocks
    chain { indexedSlot }
  }
}
`;

createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery }),
);
