/** Every scenario of the differential suite, in the order they run. */
import { CLOSING } from './closing.js';
import { DATA } from './data.js';
import { ECN } from './ecn.js';
import { HANDSHAKES } from './handshakes.js';
import { LEARNER_SERVER } from './learner-server.js';
import { RESETS } from './resets.js';
import type { Scenario } from './scenario.js';
import { URGENT } from './urgent.js';
import { WINDOWS } from './windows.js';

export const SCENARIOS: readonly Scenario[] = [...HANDSHAKES, ...DATA, ...WINDOWS, ...CLOSING, ...RESETS, ...LEARNER_SERVER, ...ECN, ...URGENT];

/** The learner ports this suite keeps to (inside the lab's 40000-40999). */
export const SUITE_PORTS = { first: 40100, last: 40239 } as const;
