import { formatChecksum } from '../checksum.js';
import type { ChecksumStatus } from '../packet.js';

/**
 * A checksum field with its verdict. 'partial' is Linux's loopback offload, where the field
 * holds only the pseudo-header sum: expected, and not an error.
 */
export function checksumText(field: number, status: ChecksumStatus | null, expected: number | null): string {
  switch (status) {
    case 'ok':
      return `${formatChecksum(field)} (correct)`;
    case 'partial':
      return `${formatChecksum(field)} (partial: offloaded)`;
    case 'bad':
      return expected === null ? `${formatChecksum(field)} (bad)` : `${formatChecksum(field)} (bad, correct is ${formatChecksum(expected)})`;
    case null:
      return formatChecksum(field);
  }
}
