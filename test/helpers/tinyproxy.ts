// Debian's tinyproxy, started on loopback with its own configuration and log, for the
// proxy tests. Its outgoing connections leave from 127.0.0.2 (Bind): a server that accepts
// only that address (gate below) is reachable through the proxy and no other way.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { relay } from './relay.js';
import { waitFor } from './waitFor.js';

export const PROXY_SOURCE = '127.0.0.2';

export function tinyproxyMissing(): string | false {
  return spawnSync('sh', ['-c', 'command -v tinyproxy']).status === 0 ? false : 'tinyproxy is not installed (scripts/ensure-test-deps.sh installs it)';
}

/** A loopback port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Tinyproxy {
  /** http://127.0.0.1:PORT, with the user and password when it asks for them. */
  url: string;
  port: number;
  /** CONNECT targets (HOST:PORT) in its log, in order. */
  tunnels(): string[];
  log(): string;
  stop(): Promise<void>;
}

export async function startTinyproxy(dir: string, auth?: { user: string; password: string }): Promise<Tinyproxy> {
  const port = await closedPort();
  const logFile = join(dir, `tinyproxy-${port}.log`);
  const config = join(dir, `tinyproxy-${port}.conf`);
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      `Bind ${PROXY_SOURCE}`,
      'Timeout 60',
      `LogFile "${logFile}"`,
      'LogLevel Info',
      'MaxClients 100',
      'Allow 127.0.0.1',
      ...(auth === undefined ? [] : [`BasicAuth ${auth.user} ${auth.password}`]),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('tinyproxy', ['-d', '-c', config], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  await waitFor(
    'tinyproxy to accept connections',
    () => {
      if (child.exitCode !== null) throw new Error(`tinyproxy did not start: ${log()}`);
      return log().includes('Accepting connections');
    },
    { timeoutMs: 5000 },
  );
  const credentials = auth === undefined ? '' : `${auth.user}:${auth.password}@`;
  return {
    url: `http://${credentials}127.0.0.1:${port}`,
    port,
    log,
    tunnels: () => [...log().matchAll(/Request \(file descriptor \d+\): CONNECT (\S+) HTTP/g)].map((match) => match[1] as string),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

export interface Gate {
  port: number;
  /** Connections refused because they did not come from the proxy. */
  refused(): number;
  accepted(): number;
  close(): Promise<void>;
}

/** A TCP relay to `targetPort` that serves connections from PROXY_SOURCE only. */
export async function proxyOnlyGate(targetPort: number): Promise<Gate> {
  let refused = 0;
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (client.remoteAddress !== PROXY_SOURCE && client.remoteAddress !== `::ffff:${PROXY_SOURCE}`) {
      refused++;
      client.resetAndDestroy();
      return;
    }
    accepted++;
    relay(client, targetPort, sockets);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    refused: () => refused,
    accepted: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
