import type { CliCommand } from '../command.js';

export const lessonCommand: CliCommand = {
  name: 'lesson',
  description: 'take one lesson file in the lesson view; or play it with answers from a file and print every verdict (for grading)',
  usage: [
    'tcplab lesson FILE [--net lab|sim|ws://HOST:PORT] [--seed N]          at a terminal: take the lesson step by step',
    'tcplab lesson FILE --answers ANSWERS [--net lab|sim|ws://HOST:PORT] [--seed N] [--json]',
    '  --answers  the learner\'s segments, one try a line under "## step N" headings (docs/lesson-answers.md);',
    '             - or a pipe for stdin',
    '  --net      lab: the real Linux kernel in a namespace; sim: the embedded endpoint; ws://HOST:PORT: a lab served by tcplab lab serve (token from --token-file FILE or $TCPLAB_TOKEN).',
    '             Default: the lab where it runs and the lesson lists it, else sim',
    '  --seed N   sim only: replay the same ISNs and ports',
    '  --json     one JSON object: each step\'s outcome and every verdict, for a grader to read',
    'Exit status: 0 every step passed, 1 a step did not, 2 no verdict (usage, a broken lesson or',
    'answers file, a network that cannot run).',
  ],
  action: async (args, io) => (await import('../actions/lesson.js')).lessonAction(args, io),
};
