/**
 * Which of the UI's translations serves a pack's language tag: the same choice the verdicts
 * make, so a lesson's frame and its feedback never speak two languages.
 */
export { verdictLanguage as uiLanguage, type VerdictLanguage as UiLanguage } from '../lesson/runner/verdict-strings.js';
