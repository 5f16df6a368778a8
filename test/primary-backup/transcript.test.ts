import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { itRunsTranscripts } from '../support/transcript/describe-transcripts.js';
import { primaryBackupAdapter } from './adapter.js';

describe('primary-backup transcripts', () => {
  itRunsTranscripts(primaryBackupAdapter, join(dirname(fileURLToPath(import.meta.url)), 'transcripts'));
});
