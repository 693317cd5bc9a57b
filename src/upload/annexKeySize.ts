// git-annex names objects by keys: BACKEND[-sSIZE][-mMTIME][-Sn-Cn]--NAME
// (https://git-annex.branchable.com/internals/key_format/). `glacier archive upload
// --name KEY VAULT -` gets the object on stdin; the key's size field sizes the parts.

/** The byte size recorded in a git-annex key, or undefined when `name` carries none. */
export function sizeOfAnnexKey(name: string): number | undefined {
  const separator = name.indexOf('--');
  if (separator <= 0) return undefined;
  const fields = name.slice(0, separator).split('-');
  if (!/^[A-Z0-9]+E?$/.test(fields[0] ?? '')) return undefined;
  for (const field of fields.slice(1)) {
    const size = /^s(\d+)$/.exec(field);
    if (size !== null) {
      const bytes = Number(size[1]);
      return Number.isSafeInteger(bytes) ? bytes : undefined;
    }
  }
  return undefined;
}
