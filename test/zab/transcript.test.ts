import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { itRunsTranscripts } from '../support/transcript/describe-transcripts.js';
import { zabAdapter } from './adapter.js';

/**
 * Zab's key paths, walked one step at a time in the generic transcript harness
 * (test/support/transcript): election and discovery choosing an epoch above every promise,
 * synchronization by DIFF, TRUNC and SNAP, and a txn committed by one leader kept and committed
 * by the next. The invariant observers run after every step; a violation would show in the
 * transcript.
 */
describe('zab transcripts', () => {
  itRunsTranscripts(zabAdapter, join(dirname(fileURLToPath(import.meta.url)), 'transcripts'));
});
