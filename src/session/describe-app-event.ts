import { formatDataLiteral } from '../lang/data-literal.js';
import { formatEndpoint } from '../server/app-event.js';
import type { AppNetEvent } from './log-entry.js';

/** How many bytes of what the application read are quoted in the log. */
const QUOTED_BYTES = 64;

/**
 * One line for an application event: which socket, what happened, and the bytes read
 * ("127.0.0.1:7 echoed 5 bytes: "hello"").
 */
export function describeAppEvent(event: AppNetEvent): string {
  const what = event.message ?? event.kind;
  let text = `${formatEndpoint(event.local)} ${what}`;
  if (event.data !== undefined && event.data.length > 0) {
    const shown = event.data.subarray(0, QUOTED_BYTES);
    const more = event.data.length - shown.length;
    text += `: ${formatDataLiteral(shown)}${more > 0 ? ` and ${more} more` : ''}`;
  }
  return text;
}
