// The Glacier client of a command that answers from the cache when it can (archive list,
// archive checkpresent, cache import): its table entry opens the cache alone, and the
// client (with the AWS SDK) is opened only on the path that needs the network. It joins
// the session, which closes it with the rest.
import type { Glacier } from '../aws/glacier.js';
import type { Context } from '../cli/session.js';

export async function openGlacierLate(context: Context): Promise<Glacier> {
  const { openGlacier } = await import('../aws/glacier.js');
  context.attachGlacier(openGlacier(context.connection, context.reporter));
  return context.glacier;
}
