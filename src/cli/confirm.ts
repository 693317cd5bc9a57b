// A yes/no question on the terminal, for commands that destroy what cannot be recovered
// (--delete-source, vault purge). Only a terminal can answer: without one, --yes is needed,
// which commands check before any network work.
import { createInterface } from 'node:readline/promises';

export function canAsk(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

export async function confirm(question: string): Promise<boolean> {
  const reader = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await reader.question(`glacier: ${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    reader.close();
  }
}
