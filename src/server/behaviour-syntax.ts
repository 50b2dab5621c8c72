// How each server behaviour is written as one word: its name, and the one setting it may
// take after '=' (`close-after=5`, `banner="hi\r\n"`, `slow-reader=100`). The REPL's
// `server` command and a lesson's `server:` both read words by this table.

import type { ServerBehaviourName } from './behaviour.js';

export interface BehaviourSetting {
  /** The field of ServerBehaviourSpec it sets. */
  key: 'bytes' | 'bytesPerSecond' | 'text';
  /** A whole number, or text written as the segment language writes data. */
  kind: 'integer' | 'text';
  /** True when the behaviour means nothing without it. */
  required: boolean;
  /** A complete word that sets it. */
  example: string;
  /** What stands for the value in a synopsis: `close-after=BYTES`. */
  placeholder: string;
}

export interface BehaviourSyntax {
  name: ServerBehaviourName;
  value: BehaviourSetting | null;
  description: string;
}

/** Every behaviour, in the order help and the lesson format's reference list them. */
export const SERVER_BEHAVIOUR_SYNTAX: readonly BehaviourSyntax[] = [
  { name: 'echo', value: null, description: 'sends back every byte it receives (port 7)' },
  { name: 'discard', value: null, description: 'reads and throws away (port 9)' },
  {
    name: 'banner',
    value: { key: 'text', kind: 'text', required: false, example: 'banner="220 ready\\r\\n"', placeholder: '"text\\r\\n"' },
    description: 'speaks first: a greeting as soon as it accepts (port 13)',
  },
  {
    name: 'close-after',
    value: { key: 'bytes', kind: 'integer', required: true, example: 'close-after=5', placeholder: 'BYTES' },
    description: 'echoes, then closes first (FIN) once it has received N bytes (port 7001)',
  },
  { name: 'line', value: null, description: 'answers each line ending in \\n with one line (port 7002)' },
  { name: 'length-prefixed', value: null, description: 'answers each message framed by a 2-byte length (port 7003)' },
  {
    name: 'slow-reader',
    value: { key: 'bytesPerSecond', kind: 'integer', required: false, example: 'slow-reader=100', placeholder: 'BYTES_PER_SECOND' },
    description: 'reads N bytes a second (0, the default: never), so its window fills (port 7004)',
  },
  { name: 'refuse', value: null, description: 'has no listener: the kernel answers a SYN with RST (port 7005)' },
];

export const SERVER_BEHAVIOUR_NAMES: readonly ServerBehaviourName[] = SERVER_BEHAVIOUR_SYNTAX.map((syntax) => syntax.name);

/** The synopsis of one behaviour: `echo`, `close-after=BYTES`, `banner or banner="text\r\n"`. */
export function behaviourSynopsis(syntax: BehaviourSyntax): string {
  const setting = syntax.value;
  if (setting === null) return syntax.name;
  const withValue = `${syntax.name}=${setting.placeholder}`;
  return setting.required ? withValue : `${syntax.name} or ${withValue}`;
}
