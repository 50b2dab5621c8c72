/**
 * The empty byte array that decoding hands out for an empty payload or empty IP options.
 * Most segments carry no data and most headers no IP options, and allocating a typed array
 * costs as much as reading a header; an empty one has nothing to change, and freezing it
 * keeps anyone from hanging properties on the shared instance.
 */
export const NO_BYTES: Uint8Array<ArrayBuffer> = Object.freeze(new Uint8Array(0)) as Uint8Array<ArrayBuffer>;
