/**
 * The words Tab offers, gathered from the tables the session and the segment language
 * already keep for help and error hints: the same source, so completion cannot drift.
 */
import { FLAG_LETTERS } from '../lang/flags.js';
import { MATCHER_FIELD_NAMES } from '../lang/matcher.js';
import { OPTION_SYNTAX } from '../lang/options.js';
import { SEGMENT_FIELD_NAMES } from '../lang/fields.js';
import { LS_TOPICS } from '../session/commands/ls.js';
import { PCAP_ACTIONS } from '../session/commands/pcap.js';
import { SESSION_COMMANDS } from '../session/commands/registry.js';
import { BEHAVIOUR_NAMES, BEHAVIOUR_SYNTAX } from '../session/commands/server.js';
import { ENDPOINT_VARIABLES, PACKET_FIELDS, PACKET_VARIABLES } from '../session/variables.js';
import type { CompletionData } from './completion.js';

export function sessionCompletionData(): CompletionData {
  return {
    commands: SESSION_COMMANDS.map((command) => ({ name: command.name, arguments: command.arguments })),
    segmentFields: SEGMENT_FIELD_NAMES,
    matcherFields: MATCHER_FIELD_NAMES,
    flagLetters: FLAG_LETTERS.map(([letter]) => letter),
    // An option written "mss:1460" takes a value after its colon; "sackok" stands alone.
    options: OPTION_SYNTAX.map((option) => (option.form.includes(':') ? `${option.name}:` : option.name)),
    packetVariables: PACKET_VARIABLES.map((name) => (name === 'pkt' ? '$pkt[' : `$${name}`)),
    endpointVariables: ENDPOINT_VARIABLES.map((name) => `$${name}`),
    packetFields: PACKET_FIELDS,
    endpointFields: ['addr', 'port'],
    words: {
      'command-name': SESSION_COMMANDS.map((command) => command.name),
      // "close-after=BYTES" is written with its '='; "banner or banner=..." alone first.
      behaviour: BEHAVIOUR_NAMES.map((name) => (/^\S+=/.test(BEHAVIOUR_SYNTAX[name]) ? `${name}=` : name)),
      'ls-topic': LS_TOPICS,
      'pcap-action': PCAP_ACTIONS,
    },
  };
}
