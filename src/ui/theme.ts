/**
 * The REPL's colours, by what they mean, so every component says "the learner's packet"
 * rather than "cyan". Red is kept for errors and failed checks.
 */
export const THEME = {
  learner: 'cyan',
  server: 'magenta',
  state: 'blue',
  app: 'green',
  pass: 'green',
  fail: 'red',
  timeout: 'yellow',
  error: 'red',
  note: 'gray',
  command: 'white',
  promptSign: 'cyan',
  key: 'cyan',
  /** Lesson prose: headings, code (inline and blocks), links, block quotes. */
  heading: 'blueBright',
  code: 'yellow',
  link: 'blue',
  quote: 'gray',
} as const;
