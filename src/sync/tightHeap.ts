// A sync makes garbage at a steady rate (a token per inventory field, a line per sorted
// archive) while its live heap stays small. V8 by default lets the old generation grow to
// several times the live size between full collections, so a sync of a million archives
// peaked near 190 MiB of heap for some 40 MiB live. Growing it by a tenth at a time keeps
// the peak near the live size, for a few more, short, collections. Set when the command
// starts, before the heap has grown.
import { setFlagsFromString } from 'node:v8';

export function keepHeapTight(): void {
  setFlagsFromString('--heap-growing-percent=10');
}
