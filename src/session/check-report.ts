// The verdicts of expect, recv and sr1 as log entries: what was asked, which packet answered,
// and, when none did, how the closest one fell short.

import { allMatch, describeMatcher, matchPacket, type FieldResult, type ResolvedMatcher } from '../lang/matcher-match.js';
import { expectedPacketText, packetText, withIsnNotes } from './feedback.js';
import type { CheckEntry } from './log-entry.js';
import type { PacketRecord } from './packet-history.js';
import type { Session } from './session.js';

type CheckCommand = CheckEntry['command'];

export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * A packet answered: it matched, or (sr1, a bare recv) it simply came. `sentIndex` is the
 * number of the segment sr1 sent, so a reply that was already waiting is called so.
 */
export function reportPass(session: Session, command: CheckCommand, record: PacketRecord, matcher: ResolvedMatcher | null, sentIndex?: number | null): void {
  const asked = matcher === null ? '' : describeMatcher(matcher);
  const early = sentIndex != null && record.index < sentIndex;
  const summary =
    asked !== ''
      ? `#${record.index} matches ${asked}`
      : command !== 'sr1'
        ? `#${record.index} came from the peer`
        : early
          ? `#${record.index} came back, but before #${sentIndex} went out: it is the oldest packet from the peer that no sr1 or recv had taken`
          : `#${record.index} came back`;
  const fields = matcher === null ? [] : withIsnNotes(matchPacket(matcher, record.packet), record.dir, session.connection);
  session.append({ kind: 'check', command, outcome: 'pass', summary, index: record.index, matcher: asked, fields });
}

/** expect's packet differs: every field's verdict, and both packets side by side. */
export function reportMismatch(session: Session, record: PacketRecord, matcher: ResolvedMatcher, results: readonly FieldResult[]): void {
  const failing = results.filter((result) => !result.ok).length;
  const summary = `#${record.index} does not match: ${failing} of ${results.length} ${results.length === 1 ? 'field differs' : 'fields differ'}`;
  session.append({
    kind: 'check',
    command: 'expect',
    outcome: 'fail',
    summary,
    index: record.index,
    matcher: describeMatcher(matcher),
    fields: withIsnNotes(results, record.dir, session.connection),
    ...packetPair(session, record, matcher),
  });
}

/** expect with nothing to check. */
export function reportNothingToCheck(session: Session, matcher: ResolvedMatcher): void {
  session.append({
    kind: 'check',
    command: 'expect',
    outcome: 'fail',
    summary: 'nothing has come from the peer yet, so there is no $rx to check',
    index: null,
    matcher: describeMatcher(matcher),
    fields: [],
  });
}

/**
 * sr1 or recv waited in vain. Of the packets from the peer still unreturned, the one that
 * came closest (fewest fields wrong, the latest on a tie) is shown with what was wrong.
 */
export function reportTimeout(session: Session, command: CheckCommand, matcher: ResolvedMatcher | null, timeoutMs: number): void {
  const asked = matcher === null ? '' : describeMatcher(matcher);
  const within = seconds(timeoutMs);
  const summary =
    asked !== ''
      ? `nothing from the peer matched ${asked} within ${within}`
      : command === 'sr1'
        ? `nothing came back within ${within}`
        : `nothing came from the peer within ${within}`;
  const base: Omit<CheckEntry, 'id' | 't'> = { kind: 'check', command, outcome: 'timeout', summary, index: null, matcher: asked, fields: [], timeoutMs };
  const closest = matcher === null ? null : closestMiss(session.unreturned(), matcher);
  if (closest === null || matcher === null) {
    session.append(base);
    return;
  }
  session.append({
    ...base,
    summary: `${summary}; the closest was #${closest.record.index}`,
    index: closest.record.index,
    fields: withIsnNotes(closest.results, closest.record.dir, session.connection),
    ...packetPair(session, closest.record, matcher),
  });
}

function closestMiss(candidates: readonly PacketRecord[], matcher: ResolvedMatcher): { record: PacketRecord; results: FieldResult[] } | null {
  let best: { record: PacketRecord; results: FieldResult[]; wrong: number } | null = null;
  for (const record of candidates) {
    const results = matchPacket(matcher, record.packet);
    if (allMatch(results)) continue;
    const wrong = results.filter((result) => !result.ok).length;
    if (best === null || wrong <= best.wrong) best = { record, results, wrong };
  }
  return best;
}

function packetPair(session: Session, record: PacketRecord, matcher: ResolvedMatcher): Pick<CheckEntry, 'expected' | 'actual'> {
  const defaults = record.dir === 'in' ? session.incomingDefaults() : session.segmentDefaults();
  const expected = expectedPacketText(matcher, record.packet, defaults);
  return { ...(expected !== null ? { expected } : {}), actual: packetText(record.packet, defaults) };
}
