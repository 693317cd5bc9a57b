// Node reads a socket straight into caller memory (the onread option) only when it opens
// the connection itself: a TLS socket started over an existing one, such as a proxy's
// tunnel, ignores the option. This gives such a socket the same reading afterwards, through
// the very fields and handle method that the option sets (net.Socket's constructor), found
// on a probe socket by their names. Call it before the socket has read anything.
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';

interface InPlaceFields {
  buffer: symbol;
  generator: symbol;
  callback: symbol;
}

let fields: InPlaceFields | undefined;

function inPlaceFields(): InPlaceFields {
  if (fields !== undefined) return fields;
  // net.Socket's constructor takes onread as net.connect does, though @types/node omits it.
  const options = { onread: { buffer: () => Buffer.alloc(1), callback: () => true } } as SocketConstructorOpts;
  const probe = new Socket(options);
  const named = new Map(Object.getOwnPropertySymbols(probe).map((symbol) => [symbol.description, symbol]));
  probe.destroy();
  const [buffer, generator, callback] = [named.get('kBuffer'), named.get('kBufferGen'), named.get('kBufferCb')];
  if (buffer === undefined || generator === undefined || callback === undefined) {
    throw new Error(`this Node.js (${process.version}) cannot read a tunnelled connection in place`);
  }
  fields = { buffer, generator, callback };
  return fields;
}

export function readInPlace(socket: Socket, onread: { buffer: () => Uint8Array; callback: NonNullable<OnReadOpts['callback']> }): void {
  const { buffer, generator, callback } = inPlaceFields();
  const handle = (socket as unknown as { _handle?: { useUserBuffer?: (memory: Uint8Array) => void } })._handle;
  if (handle?.useUserBuffer === undefined) throw new Error('readInPlace: the socket has no stream handle');
  const first = onread.buffer();
  Object.assign(socket, { [buffer]: first, [generator]: onread.buffer, [callback]: onread.callback });
  handle.useUserBuffer(first);
}
