import type { CheckedHistory } from '../check/check-history.js';
import type { ConsistencyReport } from '../check/consistency/check-consistency.js';
import type { AnyModel } from '../check/model.js';
import type { HistoryEvent } from '../history/operation.js';
import { historyPageData, scriptSafeJson } from './history-html-data.js';
import { historyPageScript } from './history-html-script.js';

export interface HistoryHtmlOptions {
  readonly title: string;
  /** The consistency ladder, shown above the operations when given. */
  readonly ladder?: ConsistencyReport;
}

/**
 * A self-contained page (no network: inline CSS and JS, data as escaped JSON) showing the
 * history as one lane per client, each operation a bar over its interval, the linearization
 * found (or its longest prefix) as a path through the bars, and the offending operations in red.
 * It draws on a canvas and only what is visible, so 100,000 operations stay responsive; wheel
 * zooms time, drag pans, shift+wheel scrolls lanes. Every string from the history reaches the
 * page through textContent or the canvas, never as markup.
 */
export function renderHistoryHtml(result: CheckedHistory, history: readonly HistoryEvent[], model: AnyModel, options: HistoryHtmlOptions): string {
  const data = historyPageData(result, history, model, options.title, options.ladder);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>faultline check</title>
<style>${styles}</style>
</head>
<body>
<header>
  <h1>faultline check: <span id="title"></span></h1>
  <div id="verdict" data-testid="verdict"></div>
  <label>partition <select id="partition" data-testid="partition"></select></label>
  <span class="hint">wheel: zoom · drag: pan · shift+wheel: scroll lanes · click: details</span>
</header>
<main>
  <div id="stage"><canvas id="canvas" data-testid="canvas"></canvas></div>
  <aside>
    <section id="ladder" data-testid="ladder" hidden></section>
    <section id="summary" data-testid="summary"></section>
    <h2>Operations that cannot be ordered next</h2>
    <ul id="offending" data-testid="offending"></ul>
    <h2>Selected</h2>
    <pre id="details" data-testid="details">click an operation</pre>
    <p class="legend"><span class="swatch linearized"></span>linearized <span class="swatch offending"></span>cannot be ordered <span class="swatch plain"></span>other <span class="swatch info"></span>indeterminate</p>
  </aside>
</main>
<script type="application/json" id="history-data">${scriptSafeJson(data)}</script>
<script>${historyPageScript}</script>
</body>
</html>
`;
}

const styles = `
body { margin: 0; font: 13px system-ui, sans-serif; color: #222; display: flex; flex-direction: column; height: 100vh; }
header { padding: 6px 12px; border-bottom: 1px solid #ccc; display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
h1 { font-size: 15px; margin: 0; }
h2 { font-size: 13px; margin: 12px 0 4px; }
#verdict.bad { color: #b00020; font-weight: bold; }
#verdict.good { color: #1b7f3b; font-weight: bold; }
#verdict.unknown { color: #9a6700; font-weight: bold; }
.hint { color: #777; }
main { flex: 1; display: flex; min-height: 0; }
#stage { flex: 1; position: relative; min-width: 0; }
canvas { position: absolute; inset: 0; width: 100%; height: 100%; cursor: grab; }
aside { width: 360px; overflow: auto; padding: 8px 12px; border-left: 1px solid #ccc; }
pre { white-space: pre-wrap; word-break: break-all; }
ul { padding-left: 18px; }
li { cursor: pointer; margin-bottom: 4px; }
#ladder table { border-collapse: collapse; margin-bottom: 6px; }
#ladder td { padding: 1px 6px 1px 0; vertical-align: top; }
#ladder .holds { color: #1b7f3b; } #ladder .violated { color: #b00020; font-weight: bold; } #ladder .unknown { color: #9a6700; }
#ladder .detail { color: #444; font-size: 12px; }
.swatch { display: inline-block; width: 12px; height: 10px; margin: 0 4px 0 10px; vertical-align: middle; }
.swatch.linearized { background: #7fbf8f; } .swatch.offending { background: #e0455e; } .swatch.plain { background: #b8c4d6; } .swatch.info { background: #f2c14e; }
`;
