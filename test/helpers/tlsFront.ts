// A TLS server on 127.0.0.1 with a certificate signed by a private CA made for the test,
// passing every connection's bytes to a plain TCP port and back: HTTPS before the
// emulator, as a TLS-inspecting gateway or a private endpoint would present it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server } from 'node:tls';
import { relay } from './relay.js';

export interface TlsFront {
  port: number;
  /** The PEM file of the CA that signed the front's certificate. */
  caFile: string;
  server: Server;
  connections(): number;
  close(): Promise<void>;
}

function openssl(args: string[]): void {
  const made = spawnSync('openssl', args, { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
}

export async function tlsFront(dir: string, port: number): Promise<TlsFront> {
  const caKey = join(dir, 'ca-key.pem');
  const caFile = join(dir, 'ca.pem');
  const key = join(dir, 'key.pem');
  const request = join(dir, 'request.csr');
  const certificate = join(dir, 'cert.pem');
  const extensions = join(dir, 'extensions.cnf');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', caFile, '-days', '1', '-subj', '/CN=glacier-cli test CA']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', request, '-subj', '/CN=127.0.0.1']);
  writeFileSync(extensions, 'subjectAltName=IP:127.0.0.1\n');
  openssl(['x509', '-req', '-in', request, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-out', certificate, '-days', '1', '-extfile', extensions]);
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key: readFileSync(key), cert: readFileSync(certificate) }, (client) => {
    connections++;
    relay(client, port, sockets);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    caFile,
    server,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
