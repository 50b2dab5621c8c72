import type { ChecksumStatus } from '../packet.js';

function hex4(value: number): string {
  return '0x' + value.toString(16).padStart(4, '0');
}

/**
 * A checksum field with its verdict. 'partial' is Linux's loopback offload, where the field
 * holds only the pseudo-header sum: expected, and not an error.
 */
export function checksumText(field: number, status: ChecksumStatus | null, expected: number | null): string {
  switch (status) {
    case 'ok':
      return `${hex4(field)} (correct)`;
    case 'partial':
      return `${hex4(field)} (partial: offloaded)`;
    case 'bad':
      return expected === null ? `${hex4(field)} (bad)` : `${hex4(field)} (bad, correct is ${hex4(expected)})`;
    case null:
      return hex4(field);
  }
}
