import { labAvailability } from '../../src/net/lab/lab-network.js';

/**
 * False when the lab can run here, else why not (and the lab's tests are skipped with that
 * reason). In CI the lab must run: there this throws instead.
 */
export async function whyNoLab(): Promise<string | false> {
  const availability = await labAvailability();
  if (availability.ok) return false;
  const reason = `the lab cannot run here: ${availability.reason} (fix: ${availability.fix})`;
  if (process.env.CI) throw new Error(`${reason}; lab tests are never skipped in CI`);
  return reason;
}
