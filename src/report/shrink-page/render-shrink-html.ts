import type { RunSize } from '../../shrink/shrink.js';
import { formatMicros } from '../../sim/time.js';
import { htmlText, NO_NETWORK_POLICY } from '../html-text.js';

/** What the shrink page shows: the two runs' own pages and the sizes before and after. */
export interface ShrinkPageInput {
  /** What failed, in words (the failure signature). */
  failure: string;
  source: string;
  before: RunSize;
  after: RunSize;
  runs: number;
  timedOut: boolean;
  /** The shrunk scenario's text, shown as it was written. */
  yaml: string;
  yamlFile: string;
  /** The run report (a whole page) of the original run and of the shrunk one. */
  originalPage: string;
  shrunkPage: string;
}

/**
 * The shrink page: the original failing run and its shrunk version side by side, each as its own
 * full run report inside a sandboxed frame built from inline text (`srcdoc`: nothing is fetched,
 * the two pages share no script), with the sizes before and after and the shrunk scenario. The
 * frames inherit this page's policy, so it allows inline script (it has none of its own).
 */
export function renderShrinkHtml(input: ShrinkPageInput): string {
  const row = (label: string, pick: (size: RunSize) => number, format: (value: number) => string = String) => {
    const before = pick(input.before);
    const after = pick(input.after);
    const ratio = after > 0 && before !== after ? ` (${(before / after).toFixed(1)}× smaller)` : '';
    return `<tr><td>${label}</td><td class="n">${htmlText(format(before))}</td><td class="n">${htmlText(format(after))}${ratio}</td></tr>`;
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${NO_NETWORK_POLICY}">
<title>faultline shrink</title>
<style>${styles}</style>
</head>
<body>
<header>
  <h1>faultline shrink: <span data-testid="failure">${htmlText(input.failure)}</span></h1>
  <p class="meta">from ${htmlText(input.source)} · ${input.runs} runs${input.timedOut ? ' · time limit reached: the best found so far' : ''} · shrunk scenario ${htmlText(input.yamlFile)}</p>
  <table data-testid="sizes"><thead><tr><th></th><th>original</th><th>shrunk</th></tr></thead><tbody>
  ${row('faults', (size) => size.faults)}
  ${row('operations', (size) => size.operations)}
  ${row('events', (size) => size.events)}
  ${row('simulated', (size) => size.simulatedTime, formatMicros)}
  </tbody></table>
  <details><summary>shrunk scenario</summary><pre data-testid="yaml">${htmlText(input.yaml)}</pre></details>
</header>
<main>
  <section><h2>original run</h2><iframe data-run="original" title="original run" sandbox="allow-scripts" srcdoc="${frameText(input.originalPage)}"></iframe></section>
  <section><h2>shrunk run</h2><iframe data-run="shrunk" title="shrunk run" sandbox="allow-scripts" srcdoc="${frameText(input.shrunkPage)}"></iframe></section>
</main>
</body>
</html>
`;
}

/** A whole page as the value of a srcdoc attribute. */
function frameText(page: string): string {
  return page.replace(/[&"<>]/g, (char) => (char === '&' ? '&amp;' : char === '"' ? '&quot;' : char === '<' ? '&lt;' : '&gt;'));
}

const styles = `
body { margin: 0; font: 13px system-ui, sans-serif; color: #222; display: flex; flex-direction: column; height: 100vh; }
header { padding: 6px 12px; border-bottom: 1px solid #ccc; }
h1 { font-size: 15px; margin: 0 0 4px; }
h2 { font-size: 13px; margin: 4px 8px; }
.meta { color: #666; margin: 2px 0; }
table { border-collapse: collapse; margin: 4px 0; }
th, td { border: 1px solid #ddd; padding: 2px 8px; }
td.n { text-align: right; }
pre { background: #f6f6f6; padding: 6px; max-height: 30vh; overflow: auto; }
main { flex: 1; display: flex; min-height: 0; }
section { flex: 1; display: flex; flex-direction: column; min-width: 0; border-right: 1px solid #ccc; }
iframe { flex: 1; border: 0; width: 100%; min-height: 560px; }
`;
