// Passes a client connection's bytes to a TCP port on 127.0.0.1, and back.
import { connect, type Socket } from 'node:net';

/** Relays `client` to `port`; both sockets sit in `open` until they close. */
export function relay(client: Socket, port: number, open: Set<Socket>): void {
  const upstream = connect({ host: '127.0.0.1', port });
  for (const socket of [client, upstream]) {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  }
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
}
