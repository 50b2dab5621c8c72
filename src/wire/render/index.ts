// The three renderings of a packet, and the byte-to-field map behind the hex dump.
export { renderOneLine } from './one-line.js';
export { tcpdumpFlags } from './tcpdump-flags.js';
export { renderShow } from './show.js';
export { renderHexdump } from './hexdump.js';
export { fieldLayout, type FieldSpan } from './field-layout.js';
export { RenderOptionsError, RenderOptionsSchema, type RenderOptions } from './render-options.js';
