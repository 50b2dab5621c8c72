// The learner's language, from the POSIX locale variables, to put the bundled course in that
// language first: LC_ALL overrides LC_MESSAGES, which overrides LANG; zh_CN.UTF-8 is zh-CN.

const LOCALE_VARIABLES = ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const;

/** A BCP 47 tag for the locale in effect (zh_CN.UTF-8 -> zh-CN), or null for C, POSIX or none. */
export function userLanguage(env: NodeJS.ProcessEnv = process.env): string | null {
  const locale = LOCALE_VARIABLES.map((name) => env[name]).find((value) => value !== undefined && value !== '');
  if (locale === undefined) return null;
  const tag = locale.replace(/[.@].*$/, '').replace(/_/g, '-');
  if (tag === 'C' || tag === 'POSIX' || !/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(tag)) return null;
  return tag;
}

/**
 * How well a pack's language suits the learner: 0 the same tag, 1 the same language in another
 * region or script, 2 English (what the course is written in first), 3 anything else.
 */
export function languageRank(packLanguage: string | null, learner: string | null): number {
  if (packLanguage === null) return 3;
  const primary = (tag: string) => tag.split('-')[0]!.toLowerCase();
  if (learner !== null) {
    if (packLanguage.toLowerCase() === learner.toLowerCase()) return 0;
    if (primary(packLanguage) === primary(learner)) return 1;
  }
  return primary(packLanguage) === 'en' ? 2 : 3;
}
