// Archive and job descriptions: at most 1024 bytes of printable ASCII (0x20-0x7E);
// Glacier strips leading spaces of archive descriptions (api-multipart-initiate-upload.md).
import { invalidParameter } from './errors.js';

export function checkDescription(text: string, what = 'archive description'): void {
  if (text.length > 1024) throw invalidParameter(`Invalid ${what}: longer than 1024 characters`);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) {
      throw invalidParameter(`Invalid ${what}: character 0x${code.toString(16).padStart(2, '0')} at position ${i} is not printable ASCII`);
    }
  }
}

export function archiveDescriptionFrom(header: string | string[] | undefined): string {
  if (header === undefined) return '';
  const text = Array.isArray(header) ? header.join(',') : header;
  checkDescription(text);
  return text.replace(/^ +/, '');
}
