import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { itRunsTranscripts } from '../support/transcript/describe-transcripts.js';
import { raftAdapter } from './adapter.js';

describe('raft transcripts', () => {
  itRunsTranscripts(raftAdapter, join(dirname(fileURLToPath(import.meta.url)), 'transcripts'));
});
