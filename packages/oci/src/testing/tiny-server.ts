// Test support: a tiny HTTP server on 127.0.0.1 that records what it is asked and answers with a
// handler the test writes, and an assert.rejects matcher for coded errors.
import assert from 'node:assert/strict';
import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { isProvenantError } from '@provenant/core';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface TinyServer {
  /** `127.0.0.1:PORT`, as a registry name. */
  host: string;
  origin: string;
  seen: Seen[];
}

const servers: { close(): void }[] = [];
after(() => {
  for (const s of servers) s.close();
});

/** Starts a server closed after the test file; each request is recorded, then answered by `handler`. */
export async function serve(handler: (req: Seen, res: ServerResponse) => void): Promise<TinyServer> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(entry);
      handler(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host, origin: `http://${host}`, seen };
}

/** For assert.rejects/throws: a ProvenantError with this code (and message). */
export function code(expected: string, message?: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(isProvenantError(err), String(err));
    assert.equal(err.code, expected, err.message);
    if (message !== undefined) assert.match(err.message, message);
    return true;
  };
}
