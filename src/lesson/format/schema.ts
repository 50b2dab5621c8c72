// The lesson format as zod schemas: the front-matter an instructor writes, and the Lesson the
// parser builds from a whole file (what a runner executes and a UI shows). The parsed Lesson
// is plain data: every piece of segment-language text is kept as written with its place in
// the file, so whoever runs it can parse it again and point at the file when something fails.

import { z } from 'zod';
import { TCP_STATES, type AppEventKind } from '../../net/network.js';
import { ServerBehaviourSpecSchema } from '../../server/behaviour.js';
import { SERVER_BEHAVIOUR_SYNTAX } from './server-spec.js';

export const PositionSchema = z
  .object({ line: z.number().int().min(1), column: z.number().int().min(1) })
  .meta({ id: 'Position', description: 'a place in the lesson file: 1-based line and column' });

export const SourceTextSchema = z
  .object({ text: z.string(), at: PositionSchema })
  .meta({ id: 'SourceText', description: 'text as the lesson wrote it, and where it starts in the file' });

export type SourceText = z.infer<typeof SourceTextSchema>;

export const LESSON_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A BCP 47 tag as packs use them: a language, then an optional script and region (en, zh-CN, zh-Hans-CN). */
export const LANGUAGE_TAG_PATTERN = /^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?$/;

export const LanguageTagSchema = z
  .string()
  .regex(LANGUAGE_TAG_PATTERN, { error: 'must be a language tag such as en or zh-CN' })
  .superRefine((tag, ctx) => {
    const canonical = canonicalLanguageTag(tag);
    if (canonical !== null && canonical !== tag) ctx.addIssue({ code: 'custom', message: `write it as '${canonical}'` });
  })
  .describe('BCP 47 language tag, e.g. en or zh-CN');

function canonicalLanguageTag(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/** A real Linux kernel (this machine's lab, or a remote one over ws), or the embedded simulator. */
export const LESSON_NETWORKS = ['lab', 'sim'] as const;
export type LessonNetwork = (typeof LESSON_NETWORKS)[number];

export const LESSON_ROLES = ['client', 'server'] as const;

/** The one-word forms the `server` field accepts, for editors; the parser gives the precise message. */
export const SERVER_FIELD_PATTERN = `^(?:${SERVER_BEHAVIOUR_SYNTAX.map(({ name, value }) => {
  if (value === null) return name;
  const setting = value.kind === 'integer' ? '=[0-9]+' : '=.+';
  return value.required ? `${name}${setting}` : `${name}(?:${setting})?`;
}).join('|')})$`;

export const FrontMatterSchema = z
  .strictObject({
    id: z
      .string()
      .regex(LESSON_ID_PATTERN, { error: 'must be lowercase letters and digits, words joined by single hyphens (e.g. three-way-handshake)' })
      .describe('Unique within its pack; progress is stored under it. Lowercase letters, digits and hyphens.'),
    title: z.string().min(1, { error: 'the title is empty' }).describe('Shown in the lesson browser and at the top of the lesson.'),
    summary: z.string().min(1, { error: 'the summary is empty' }).describe('One or two sentences: what the learner will do and see.'),
    language: LanguageTagSchema.describe("The lesson's language as a BCP 47 tag: en, zh-CN. It must match its pack's."),
    networks: z
      .array(z.enum(LESSON_NETWORKS))
      .min(1, { error: 'name at least one network: lab, sim' })
      .superRefine((networks, ctx) => {
        const twice = networks.find((network, i) => networks.indexOf(network) !== i);
        if (twice !== undefined) ctx.addIssue({ code: 'custom', message: `'${twice}' is listed twice` });
      })
      .default(['lab', 'sim'])
      .describe('Where the lesson can run: lab (a real Linux kernel, local or remote) and sim (the embedded simulator).'),
    server: z
      .string()
      .default('echo')
      .meta({
        pattern: SERVER_FIELD_PATTERN,
        description: `The bundled server's behaviour when the lesson starts: ${SERVER_BEHAVIOUR_SYNTAX.map((s) => s.value?.example ?? s.name).join(', ')}.`,
      }),
    role: z
      .enum(LESSON_ROLES)
      .default('client')
      .describe('client: the learner opens the connection to the bundled server; server: the bundled client connects to the learner.'),
    solutionAfter: z
      .number()
      .int()
      .min(1)
      .max(99)
      .default(3)
      .describe("Failed tries at a step before its solution is offered; the learner may ask for it sooner."),
  })
  .meta({ title: 'tcplab lesson front-matter', description: 'The YAML between the --- lines at the top of a tcplab lesson file.' });

export type FrontMatterInput = z.input<typeof FrontMatterSchema>;
export type FrontMatter = z.output<typeof FrontMatterSchema>;


const APP_EVENTS = ['listening', 'accepted', 'connected', 'received', 'peer-closed', 'closed', 'error'] as const satisfies readonly AppEventKind[];

// Compile-time guard: an event added to the network layer must be added here too.
const everyEvent: Exclude<AppEventKind, (typeof APP_EVENTS)[number]> extends never ? true : never = true;
void everyEvent;

export const TcpStateSchema = z.enum(TCP_STATES);
export const AppEventKindSchema = z.enum(APP_EVENTS);

/** What to tell the learner: when the expectation is not met, and what it meant when it is. */
const sentences = {
  fail: z.string().nullable().describe('shown when the expectation is not met'),
  ok: z.string().nullable().describe('shown when it is met: what the kernel did and why'),
};

export const CheckSchema = z
  .object({
    /** The matcher over the learner's segment, e.g. `ack=$rx.seq+1`. */
    matcher: SourceTextSchema,
    fail: z.string().describe('shown when the segment does not match, before it is sent'),
  })
  .describe("a check on the learner's own segment before it is sent");

export type Check = z.infer<typeof CheckSchema>;

export const ExpectationSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('reply'),
    command: z.enum(['recv', 'expect']),
    /** The REPL line, e.g. `recv flags=SA ack=$tx.seq+1 timeout=2s`. */
    line: SourceTextSchema,
    timeoutMs: z.number().int().positive().nullable(),
    ...sentences,
  }),
  z.object({
    kind: z.literal('app'),
    event: AppEventKindSchema,
    /** For `received`: the bytes the application must have read, as written and in hex. */
    data: z.object({ text: z.string(), hex: z.string() }).nullable(),
    line: SourceTextSchema,
    timeoutMs: z.number().int().positive().nullable(),
    ...sentences,
  }),
  z.object({
    kind: z.literal('state'),
    /** The bundled program's socket: the server's, or the bundled client's when the learner serves. */
    state: TcpStateSchema,
    line: SourceTextSchema,
    timeoutMs: z.number().int().positive().nullable(),
    ...sentences,
  }),
  z.object({
    kind: z.literal('silence'),
    ms: z.number().int().positive(),
    at: PositionSchema,
    ...sentences,
  }),
]);

export type Expectation = z.infer<typeof ExpectationSchema>;

export const RunCommandSchema = z.discriminatedUnion('command', [
  z.object({ command: z.literal('server'), behaviour: ServerBehaviourSpecSchema, line: SourceTextSchema }),
  z.object({ command: z.literal('connect'), line: SourceTextSchema }),
  z.object({ command: z.literal('send'), segment: SourceTextSchema, line: SourceTextSchema }),
  z.object({ command: z.literal('wait'), ms: z.number().int().positive(), line: SourceTextSchema }),
  z.object({ command: z.literal('reset'), line: SourceTextSchema }),
]);

export type RunCommand = z.infer<typeof RunCommandSchema>;

export const StepActionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('send'),
    /** The `tcp ...` line the learner starts from; null for an empty editor. */
    template: SourceTextSchema.nullable(),
    at: PositionSchema,
  }),
  z.object({ kind: z.literal('run'), commands: z.array(RunCommandSchema), at: PositionSchema }),
]);

export const HintSchema = z.object({ markdown: z.string(), at: PositionSchema });

export type Hint = z.infer<typeof HintSchema>;

export const StepSchema = z.object({
  /** 1, 2, ... in the order of the file. */
  number: z.number().int().min(1),
  /** The Markdown before the step's send or run cell. */
  prose: z.string(),
  action: StepActionSchema,
  checks: z.array(CheckSchema),
  expectations: z.array(ExpectationSchema),
  /** Revealed one at a time, in this order. */
  hints: z.array(HintSchema),
  /** The `tcp ...` line that passes the step; null for a run step. */
  solution: SourceTextSchema.nullable(),
  /** The Markdown between the step's cells. */
  notes: z.string(),
});

export type Step = z.infer<typeof StepSchema>;

export const LessonSchema = z
  .object({
    /** The path the lesson was read from, as given. */
    file: z.string(),
    meta: FrontMatterSchema,
    /** Where each front-matter field's value is, for messages about it. */
    metaAt: z.record(z.string(), PositionSchema),
    server: ServerBehaviourSpecSchema,
    /** The Markdown before the first step. */
    intro: z.string(),
    steps: z.array(StepSchema).min(1),
    /** The Markdown after the last cell. */
    outro: z.string(),
  })
  .meta({ title: 'tcplab parsed lesson', description: 'A lesson file as tcplab reads it: front-matter, then steps of cells.' });

export type Lesson = z.infer<typeof LessonSchema>;

const SCHEMA_DRAFT = 'https://json-schema.org/draft/2020-12/schema';

/** JSON Schema for the front-matter, for an editor checking the YAML at the top of a lesson. */
export function lessonJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(FrontMatterSchema, { io: 'input', target: 'draft-2020-12' }), $schema: SCHEMA_DRAFT };
}

/** JSON Schema for a parsed Lesson, for tools that read lessons as tcplab parsed them. */
export function parsedLessonJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(LessonSchema, { io: 'output', target: 'draft-2020-12' }), $schema: SCHEMA_DRAFT };
}
