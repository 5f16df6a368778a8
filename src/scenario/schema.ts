import { z } from 'zod';
import { consistencyModels } from '../check/consistency/models.js';
import { clientConnections } from './scenario.js';
import { parseDuration } from './duration.js';
import { formatLimit, SCENARIO_LIMITS } from './limits.js';
import { toMillis } from '../sim/time.js';

/**
 * The scenario file's shape as written in YAML. Every object is strict: an unknown field is an
 * error naming the field, never silently ignored. Durations are `250ms`, `1.5s`, `80us` or a
 * number of milliseconds.
 */

const duration = z.unknown().transform((value, context) => {
  const micros = parseDuration(value);
  if (micros === undefined) {
    const got = value === undefined ? 'missing required field' : `got ${JSON.stringify(value)}`;
    context.addIssue({ code: 'custom', message: `expected a duration such as 250ms, 1.5s or 80us (${got})` });
    return z.NEVER;
  }
  if (micros > SCENARIO_LIMITS.durationMicros) {
    context.addIssue({ code: 'custom', message: `expected a duration of at most ${DURATION_LIMIT_TEXT} (got ${JSON.stringify(value)})` });
    return z.NEVER;
  }
  return micros;
});

/** One simulated hour, as a user would write it. */
const DURATION_LIMIT_TEXT = `${SCENARIO_LIMITS.durationMicros / 60_000_000}m`;

const signedDuration = z.unknown().transform((value, context) => {
  const negative = typeof value === 'string' && value.trim().startsWith('-');
  const micros = parseDuration(negative ? (value as string).trim().slice(1) : typeof value === 'number' ? Math.abs(value) : value);
  if (micros === undefined) {
    context.addIssue({ code: 'custom', message: `expected a duration such as -250ms or 1.5s (got ${JSON.stringify(value)})` });
    return z.NEVER;
  }
  if (micros > SCENARIO_LIMITS.durationMicros) {
    context.addIssue({ code: 'custom', message: `expected a duration of at most ${DURATION_LIMIT_TEXT} either way (got ${JSON.stringify(value)})` });
    return z.NEVER;
  }
  return negative || (typeof value === 'number' && value < 0) ? -micros : micros;
});

const probability = z
  .number({ error: 'expected a probability between 0 and 1' })
  .min(0, 'expected a probability between 0 and 1')
  .max(1, 'expected a probability between 0 and 1');

const positiveInt = (what: string) => z.number({ error: `expected ${what} (a positive integer)` }).int(`expected ${what} (a positive integer)`).positive(`expected ${what} (a positive integer)`);
/** A positive integer up to a named limit; the message says the limit. */
const boundedInt = (what: string, limit: number) => positiveInt(what).max(limit, `expected ${what} of at most ${formatLimit(limit)} (faultline's limit)`);
const nonNegativeInt = (what: string) => z.number({ error: `expected ${what} (an integer ≥ 0)` }).int(`expected ${what} (an integer ≥ 0)`).min(0, `expected ${what} (an integer ≥ 0)`);

export const latencySchema = z
  .discriminatedUnion(
    'distribution',
    [
      z.strictObject({ distribution: z.literal('constant'), value: duration }),
      z.strictObject({ distribution: z.literal('uniform'), min: duration, max: duration }),
      z.strictObject({ distribution: z.literal('exponential'), min: duration, mean: duration }),
      z.strictObject({ distribution: z.literal('long-tail'), median: duration, p99: duration }),
    ],
    { error: 'expected distribution: constant, uniform, exponential or long-tail' },
  )
  .superRefine((latency, context) => {
    // Checked here, not mid-run: the sampler asserts min ≤ max, and a log-normal needs a median above 0.
    const ms = (micros: number) => `${toMillis(micros)}ms`;
    if (latency.distribution === 'uniform' && latency.min > latency.max) {
      context.addIssue({ code: 'custom', path: ['max'], message: `expected max (${ms(latency.max)}) to be at least min (${ms(latency.min)})` });
    }
    if (latency.distribution === 'long-tail' && latency.median === 0) context.addIssue({ code: 'custom', path: ['median'], message: 'expected a median above 0' });
    if (latency.distribution === 'long-tail' && latency.p99 < latency.median) {
      context.addIssue({ code: 'custom', path: ['p99'], message: `expected p99 (${ms(latency.p99)}) to be at least the median (${ms(latency.median)})` });
    }
  });

const reorderSchema = z.strictObject({ probability, delay: duration });

export const nodeTargetSchema = z.union([
  nonNegativeInt('a node id'),
  z.array(nonNegativeInt('a node id')).min(1, 'expected at least one node'),
  z.enum(['leader', 'random', 'random-minority', 'all', 'sender'], {
    error: 'expected a node id, a list of node ids, or one of leader, random, random-minority, all, sender',
  }),
]);

const linkSelectorSchema = z.union([
  z.literal('all'),
  z.strictObject({ node: nodeTargetSchema }),
  z.strictObject({ from: nonNegativeInt('a node id'), to: nonNegativeInt('a node id') }),
]);

const partitionSchema = z.discriminatedUnion(
  'shape',
  [
    z.strictObject({ shape: z.literal('isolate'), node: nodeTargetSchema }),
    z.strictObject({ shape: z.literal('split'), minority: nodeTargetSchema }),
    z.strictObject({ shape: z.literal('bridge') }),
    z.strictObject({ shape: z.literal('majorities-ring') }),
    z.strictObject({ shape: z.literal('groups'), groups: z.array(z.array(nonNegativeInt('a node id'))).min(1, 'expected at least one group') }),
    z.strictObject({ shape: z.literal('one-way'), from: nodeTargetSchema, to: nodeTargetSchema }),
  ],
  { error: 'expected shape: isolate, split, bridge, majorities-ring, groups or one-way' },
);

const scriptedOperationSchema = z.strictObject({
  f: z.string({ error: 'expected an operation name (f)' }),
  key: z.string().optional(),
  value: z.json().optional(),
  /** Not before this time: the client waits, so dropping earlier operations does not move this one. */
  at: duration.optional(),
});

const clientScript = z
  .array(scriptedOperationSchema)
  .max(SCENARIO_LIMITS.scriptOperations, `expected at most ${formatLimit(SCENARIO_LIMITS.scriptOperations)} scripted operations per client (faultline's limit)`);

const timing = {
  at: duration,
  every: duration.optional(),
  until: duration.optional(),
  for: duration.optional(),
  /** Fire right after a node sends a message of this type (armed from `at` to `until`). */
  after: z.strictObject({ send: z.string({ error: 'expected a message type, e.g. vote-response' }).min(1, 'expected a message type') }).optional(),
  /** With `after`: the chance of firing at each such send (default 1). */
  probability: probability.optional(),
};

export const faultEntrySchema = z.discriminatedUnion(
  'action',
  [
    z.strictObject({ ...timing, action: z.literal('crash'), node: nodeTargetSchema, tornWrite: z.boolean().optional() }),
    z.strictObject({ ...timing, action: z.literal('restart'), node: nodeTargetSchema }),
    z.strictObject({ ...timing, action: z.literal('pause'), node: nodeTargetSchema }),
    z.strictObject({ ...timing, action: z.literal('resume'), node: nodeTargetSchema }),
    z.strictObject({ ...timing, action: z.literal('partition'), partition: partitionSchema }),
    z.strictObject({ ...timing, action: z.literal('heal') }),
    z.strictObject({
      ...timing,
      action: z.literal('clock'),
      node: nodeTargetSchema,
      offset: signedDuration.optional(),
      driftPpm: z.number().int('expected driftPpm as an integer').min(-500_000).max(500_000).optional(),
    }),
    z.strictObject({
      ...timing,
      action: z.literal('network'),
      links: linkSelectorSchema.optional(),
      latency: latencySchema.optional(),
      loss: probability.optional(),
      duplicate: probability.optional(),
      reorder: reorderSchema.optional(),
      extraDelay: duration.optional(),
    }),
    z.strictObject({ ...timing, action: z.literal('corrupt'), node: nodeTargetSchema, keyPrefix: z.string().optional() }),
    z.strictObject({ ...timing, action: z.literal('crash-client'), client: z.union([nonNegativeInt('a client index'), z.literal('random')]) }),
    z.strictObject({ ...timing, action: z.literal('pause-client'), client: z.union([nonNegativeInt('a client node index'), z.literal('random')]) }),
  ],
  { error: 'expected action: crash, restart, pause, resume, partition, heal, clock, network, corrupt, crash-client or pause-client' },
);

export const scenarioSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  seed: nonNegativeInt('a seed').optional(),
  nodes: boundedInt('a node count', SCENARIO_LIMITS.nodes),
  protocol: z.strictObject({
    name: z.string({ error: 'expected a protocol name' }),
    options: z.record(z.string(), z.unknown()).optional(),
  }),
  network: z
    .strictObject({
      latency: latencySchema.optional(),
      loss: probability.optional(),
      duplicate: probability.optional(),
      reorder: reorderSchema.optional(),
      partitionMode: z.enum(['drop', 'hold'], { error: 'expected partitionMode: drop or hold' }).optional(),
    })
    .optional(),
  disk: z.strictObject({ syncDelay: duration.optional() }).optional(),
  workload: z
    .strictObject({
      kind: z.enum(['register', 'cas-register', 'kv', 'counter', 'set', 'queue', 'lock', 'bank'], { error: 'expected kind: register, cas-register, kv, counter, set, queue, lock or bank' }).optional(),
      clients: boundedInt('a client count', SCENARIO_LIMITS.clients).optional(),
      mix: z.record(z.string(), nonNegativeInt('a weight').max(SCENARIO_LIMITS.mixWeight, `expected a weight of at most ${formatLimit(SCENARIO_LIMITS.mixWeight)}`)).optional(),
      keys: boundedInt('a key count', SCENARIO_LIMITS.keys).optional(),
      hotKeyPercent: z.number().min(0).max(100, 'expected a percentage 0..100').optional(),
      thinkTime: duration.optional(),
      rate: z
        .number({ error: 'expected a rate (operations per simulated second)' })
        .min(0.001, 'expected a rate of at least 0.001 per simulated second')
        .max(SCENARIO_LIMITS.ratePerSecond, `expected a rate of at most ${formatLimit(SCENARIO_LIMITS.ratePerSecond)} per simulated second (faultline's limit)`)
        .optional(),
      requestTimeout: duration.optional(),
      maxAttempts: boundedInt('an attempt count', SCENARIO_LIMITS.attempts).optional(),
      connection: z.enum(clientConnections, { error: `expected connection: ${clientConnections.join(', ')}` }).optional(),
      operations: boundedInt('an operation count per client', SCENARIO_LIMITS.operationsPerClient).optional(),
      /** Explicit operations, one list per client, instead of drawn ones (written by `faultline shrink`). */
      /** Or, with `clients`, a map from client number to its operations: the clients left out are idle. */
      script: z
        .union(
          [
            z
              .array(clientScript)
              .min(1, 'expected at least one client')
              .max(SCENARIO_LIMITS.clients, `expected a script for at most ${formatLimit(SCENARIO_LIMITS.clients)} clients (faultline's limit)`),
            z.record(z.string().regex(/^\d+$/, 'expected client numbers (0, 1, ...) as keys'), clientScript),
          ],
          { error: 'expected a list of operation lists (one per client), or a map from client number to its operations' },
        )
        .optional(),
    })
    .optional(),
  faults: z.array(faultEntrySchema).max(SCENARIO_LIMITS.faults, `expected at most ${formatLimit(SCENARIO_LIMITS.faults)} faults (faultline's limit)`).optional(),
  swarm: z.boolean().optional(),
  duration: duration,
  liveness: z.strictObject({ bound: duration, core: z.array(nonNegativeInt('a node id')).min(1, 'expected at least one node').optional() }).optional(),
  limits: z.strictObject({ events: boundedInt('an event limit', SCENARIO_LIMITS.events).optional() }).optional(),
  check: z
    .strictObject({
      linearizability: z.union([z.string(), z.literal(false)]).optional(),
      invariants: z.boolean().optional(),
      consistency: z.enum(consistencyModels, { error: `expected consistency: ${consistencyModels.join(', ')}` }).optional(),
      convergence: duration.optional(),
    })
    .optional(),
  expect: z
    .enum(['pass', 'not-linearizable', 'inconsistent', 'invariant', 'assertion', 'liveness', 'limit', 'unknown'], {
      error: 'expected expect: pass, not-linearizable, inconsistent, invariant, assertion, liveness, limit or unknown',
    })
    .optional(),
});

export type RawScenario = z.output<typeof scenarioSchema>;
export type RawFaultEntry = z.output<typeof faultEntrySchema>;
export type RawNodeTarget = z.output<typeof nodeTargetSchema>;
