import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { itRunsTranscripts } from '../support/transcript/describe-transcripts.js';
import { paxosAdapter } from './adapter.js';

/**
 * Multi-Paxos's tricky steps, walked one at a time in the generic transcript harness
 * (test/support/transcript): phase 1 adopting a value accepted under an earlier ballot, a hole
 * filled with a no-op, a stale leader's accept refused after a newer promise, dueling proposers.
 * The invariant observers run after every step; a violation would show in the transcript.
 */
describe('multi-paxos transcripts', () => {
  itRunsTranscripts(paxosAdapter, join(dirname(fileURLToPath(import.meta.url)), 'transcripts'));
});
