/**
 * Which of the UI's translations serves a pack's language tag: Chinese in any of its
 * Simplified forms gets zh-CN, everything else English, until more translations exist.
 */
export type UiLanguage = 'en' | 'zh-CN';

export function uiLanguage(tag: string): UiLanguage {
  const lower = tag.toLowerCase();
  if (lower === 'zh' || lower === 'zh-cn' || lower === 'zh-sg' || lower.startsWith('zh-hans')) return 'zh-CN';
  return 'en';
}
