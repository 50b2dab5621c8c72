// The segment language: `tcp field=value ...` to a Packet and back.
export { SegmentSyntaxError, pointAt, type Span } from './syntax-error.js';
export { Scanner, lexLine, type FieldToken, type LexedLine, type WordToken } from './lexer.js';
export {
  MAX_NUMBER,
  VARIABLE_FIELDS,
  checkIfConstant,
  evaluateExpression,
  hasVariables,
  parseExpression,
  parseInteger,
  parseTerm,
  parseVariableRef,
  resolveNumber,
  type Expression,
  type NumericRule,
  type Resolver,
  type VariableRef,
} from './expression.js';
export { ALL_FLAGS_MASK, FLAG_LETTERS, formatFlags, parseFlags, type FlagsValue } from './flags.js';
export {
  MAX_OPTIONS_LENGTH,
  OPTION_SYNTAX,
  formatOptions,
  optionsLength,
  parseOptions,
  resolveOptions,
  type OptionName,
  type OptionSpec,
} from './options.js';
export { formatDataLiteral, parseDataLiteral, parseHexBytes, type DataLiteral } from './data-literal.js';
export { normalizeAddress, parseAddress, resolveAddress, type AddressValue, type ResolvedAddress } from './address.js';
export {
  NUMERIC_FIELD_RULES,
  SEGMENT_FIELDS,
  SEGMENT_FIELD_NAMES,
  type NumericFieldName,
  type SegmentFieldInfo,
  type SegmentFieldName,
} from './fields.js';
export { parseSegment, parseSegmentFields, type FieldSpec, type SegmentFields, type SegmentSpec } from './segment-parser.js';
export { ENCODE_DEFAULTS, SegmentDefaultsSchema, type SegmentDefaults } from './defaults.js';
export { buildPacket, type SegmentContext } from './build.js';
export { formatSegment, type FormatSegmentOptions } from './format-segment.js';
export { didYouMean, editDistance, suggest } from './suggest.js';
