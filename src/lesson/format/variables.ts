// The variables a lesson may write, checked before a learner ever runs the lesson: the ones
// a session defines ($rx, $tx, $pkt[N], $server, $me, $peer), each with the fields it has, used
// where its kind of value fits (an address for dst=, a number for seq=, flags for flags=).

import type { Expression, VariableRef } from '../../lang/expression.js';
import type { AddressValue } from '../../lang/address.js';
import type { FlagsValue } from '../../lang/flags.js';
import type { Matcher } from '../../lang/matcher.js';
import type { NumberPattern } from '../../lang/matcher-number.js';
import type { OptionPattern } from '../../lang/matcher-options.js';
import type { OptionSpec } from '../../lang/options.js';
import type { SegmentSpec } from '../../lang/segment-parser.js';
import { didYouMean } from '../../lang/suggest.js';
import { SegmentSyntaxError } from '../../lang/syntax-error.js';
import { ENDPOINT_VARIABLES, PACKET_VARIABLES } from '../../session/variables.js';

/** What a variable stands for where it is written. */
export type VariableUse = 'number' | 'address' | 'flags';

export interface VariableUseSite {
  ref: VariableRef;
  use: VariableUse;
}

type VariableName = (typeof PACKET_VARIABLES)[number] | (typeof ENDPOINT_VARIABLES)[number];

const NAMES: readonly VariableName[] = [...PACKET_VARIABLES, ...ENDPOINT_VARIABLES];
const ENDPOINT_FIELDS = ['addr', 'port'];
const ADDRESS_FIELDS = new Set(['src', 'dst', 'addr']);

/** Why this variable cannot be used here, or null when the session will answer it. */
export function checkVariable({ ref, use }: VariableUseSite): SegmentSyntaxError | null {
  const fail = (problem: string, hint?: string) => new SegmentSyntaxError(problem, ref.span, hint);
  const name = NAMES.find((known) => known === ref.name);
  if (name === undefined) {
    const hint = didYouMean(ref.name, NAMES, (s) => `'$${s}'`) ?? `the variables are ${NAMES.map((n) => (n === 'pkt' ? '$pkt[N]' : `$${n}`)).join(' ')}`;
    return fail(`unknown variable '$${ref.name}'`, hint);
  }
  if (name === 'server' || name === 'me' || name === 'peer') {
    if (ref.index !== null) return fail(`$${name} has no index`, `write $${name}.port or $${name}.addr`);
    if (ref.field === null) return fail(`$${name} needs a field`, `write $${name}.port or $${name}.addr`);
    if (!ENDPOINT_FIELDS.includes(ref.field)) return fail(`$${name} has .addr and .port, not .${ref.field}`);
  } else {
    if (name === 'pkt' && ref.index === null) return fail('$pkt needs a packet number', 'e.g. $pkt[1].seq for the first packet');
    if (name === 'pkt' && ref.index === 0) return fail('packets count from 1', '$pkt[1] is the first, $pkt[-1] the latest');
    if (ref.field === null) return fail(`${ref.text} needs a field`, `e.g. ${ref.text}.seq`);
    const packet = ref.text.slice(0, ref.text.length - ref.field.length - 1);
    if (ref.field === 'addr') return fail(`${packet} is a packet: it has .src and .dst, not .addr`);
    if (ref.field === 'port') return fail(`${packet} is a packet: it has .sport and .dport, not .port`);
  }
  const isAddress = ADDRESS_FIELDS.has(ref.field ?? '');
  if (use === 'number' && isAddress) return fail(`${ref.text} is an address, not a number`);
  if (use === 'address' && !isAddress) return fail(`${ref.text} is a number, not an address`, `an address variable names .src, .dst or .addr`);
  if (use === 'flags' && ref.field !== 'flags') return fail(`${ref.text} is not a set of flags`, `a flags variable names .flags, e.g. $rx.flags`);
  return null;
}

export function segmentVariables(spec: SegmentSpec): VariableUseSite[] {
  const sites: VariableUseSite[] = [];
  // data holds bytes, never a variable.
  const { src, dst, flags, opts, data, ...numeric } = spec.fields;
  void data;
  for (const field of [src, dst]) if (field) addressSites(field.value, sites);
  if (flags) flagsSites(flags.value, sites);
  for (const field of Object.values(numeric)) if (field) expressionSites(field.value, sites);
  for (const option of opts?.value ?? []) optionSites(option, sites);
  return sites;
}

export function matcherVariables(matcher: Matcher): VariableUseSite[] {
  const sites: VariableUseSite[] = [];
  for (const field of matcher.fields) {
    switch (field.kind) {
      case 'number':
        numberPatternSites(field.pattern, sites);
        break;
      case 'address':
        addressSites(field.value, sites);
        break;
      case 'flags':
        flagsSites(field.value, sites);
        break;
      case 'options':
        for (const option of field.options) optionPatternSites(option, sites);
        break;
      case 'no-options':
      case 'data':
      case 'any':
        break;
    }
  }
  return sites;
}

function expressionSites(expression: Expression, sites: VariableUseSite[]): void {
  switch (expression.kind) {
    case 'number':
      return;
    case 'variable':
      sites.push({ ref: expression.ref, use: 'number' });
      return;
    case 'binary':
      expressionSites(expression.left, sites);
      expressionSites(expression.right, sites);
  }
}

function addressSites(value: AddressValue, sites: VariableUseSite[]): void {
  if (value.kind === 'variable') sites.push({ ref: value.ref, use: 'address' });
}

function flagsSites(value: FlagsValue, sites: VariableUseSite[]): void {
  if (value.kind === 'variable') sites.push({ ref: value.ref, use: 'flags' });
}

function optionSites(option: OptionSpec, sites: VariableUseSite[]): void {
  switch (option.kind) {
    case 'mss':
    case 'wscale':
      expressionSites(option.value, sites);
      return;
    case 'ts':
      expressionSites(option.tsval, sites);
      expressionSites(option.tsecr, sites);
      return;
    case 'sack':
      for (const [left, right] of option.blocks) {
        expressionSites(left, sites);
        expressionSites(right, sites);
      }
      return;
    default:
      return;
  }
}

function numberPatternSites(pattern: NumberPattern, sites: VariableUseSite[]): void {
  if (pattern.kind === 'equals') expressionSites(pattern.value, sites);
  if (pattern.kind === 'range') {
    expressionSites(pattern.low, sites);
    expressionSites(pattern.high, sites);
  }
}

function optionPatternSites(option: OptionPattern, sites: VariableUseSite[]): void {
  if (option.kind === 'mss' || option.kind === 'wscale') numberPatternSites(option.value, sites);
  if (option.kind === 'ts') {
    numberPatternSites(option.tsval, sites);
    numberPatternSites(option.tsecr, sites);
  }
  if (option.kind === 'sack') {
    for (const [left, right] of option.blocks ?? []) {
      numberPatternSites(left, sites);
      numberPatternSites(right, sites);
    }
  }
}
