import { fileURLToPath } from 'node:url';
import { ensureFreshBuild } from './fresh-build.js';

/** vitest globalSetup: no test runs against a `dist/` older than `src/`. */
export default function setup(): void {
  const outcome = ensureFreshBuild(fileURLToPath(new URL('../..', import.meta.url)));
  if (outcome === 'rebuilt') console.log('globalSetup: dist/ was older than src/; rebuilt it');
}
