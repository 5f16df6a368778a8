import { scriptSafeJson } from '../history-html-data.js';
import { escapeBidiDeep, NO_NETWORK_POLICY } from '../html-text.js';
import { runPageData, type RunPageInput } from './page-data.js';
import { runPageScript } from './page-script.js';

/**
 * The run report: one self-contained page (inline CSS and JS, the data as escaped JSON, a
 * Content-Security-Policy that forbids any fetch) with the space-time diagram of every message,
 * the fault bands, the node state lane, the client timeline, the violation centred and marked,
 * and throughput / latency / availability plots on the same time axis. Every string from the run
 * reaches the page through textContent or the canvas, never as markup.
 */
export function renderRunHtml(input: RunPageInput): string {
  // Bidirectional controls become visible escapes (\u202E) everywhere on the page: a key written
  // "\u202Eevil" must not display as "live".
  return runHtmlFromData(scriptSafeJson(escapeBidiDeep(runPageData(input))));
}

/** The page around already-encoded data (the benchmark builds large data directly). */
export function runHtmlFromData(json: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${NO_NETWORK_POLICY}">
<title>faultline run report</title>
<style>${styles}</style>
</head>
<body>
<header>
  <h1>faultline run: <span id="title"></span></h1>
  <div id="verdict" data-testid="verdict"></div>
  <button id="goto-violation" type="button">violation</button>
  <button id="fit" type="button">whole run</button>
  <label>node <select id="node-filter" data-testid="node-filter"><option value="-1">all</option></select></label>
  <label>message <select id="type-filter" data-testid="type-filter"><option value="-1">all types</option></select></label>
  <label>search <input id="search" data-testid="search" type="search" placeholder="text, then Enter"></label>
  <span id="search-count"></span>
  <div id="meta" class="hint"></div>
</header>
<main>
  <div id="left">
    <div id="stage" data-testid="stage">
      <canvas id="diagram" data-testid="diagram"></canvas>
      <div id="lanes"></div>
      <div id="violation-marker" data-violation data-testid="violation" style="display:none"></div>
    </div>
    <canvas id="plots" data-testid="plots"></canvas>
  </div>
  <aside>
    <h2>Verdict</h2>
    <p id="violation-text" data-testid="violation-text"></p>
    <h2>Selected</h2>
    <pre id="details" data-testid="details"></pre>
    <h2>Run</h2>
    <ul id="summary"></ul>
    <h2>Legend</h2>
    <p class="legend">
      <span class="swatch" style="background:#2f62b0"></span>message
      <span class="swatch" style="background:#8e44ad"></span>duplicate
      <span class="swatch" style="background:#d35400"></span>reordered
      <span class="swatch" style="background:#138d75"></span>held
      <span class="swatch" style="background:#c0392b"></span>dropped (×)<br>
      <span class="swatch" style="background:#a8dfb0"></span>ok
      <span class="swatch" style="background:#f5b3cd"></span>fail
      <span class="swatch" style="background:#ffe69a"></span>info
      <span class="swatch" style="background:#f1a9a0"></span>partition
      <span class="swatch" style="background:#9a9a9a"></span>crash
      <span class="swatch" style="background:#c8c8c8"></span>pause
      <span class="swatch" style="background:#f7dc6f"></span>clock
    </p>
    <p class="hint">wheel: zoom time · drag: pan · shift+wheel: scroll lanes · click: details. Top strip of each node: its state (role, epoch, leader, commit).</p>
  </aside>
</main>
<script type="application/json" id="run-data">${json}</script>
<script>${runPageScript}</script>
</body>
</html>
`;
}

const styles = `
body { margin: 0; font: 13px system-ui, sans-serif; color: #222; display: flex; flex-direction: column; height: 100vh; }
header { padding: 6px 12px; border-bottom: 1px solid #ccc; display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
h1 { font-size: 15px; margin: 0; }
h2 { font-size: 13px; margin: 12px 0 4px; }
#verdict.bad { color: #b00020; font-weight: bold; }
#verdict.good { color: #1b7f3b; font-weight: bold; }
.hint { color: #777; font-size: 12px; }
#meta { flex-basis: 100%; }
main { flex: 1; display: flex; min-height: 0; }
#left { flex: 1; display: flex; flex-direction: column; min-width: 0; }
#stage { flex: 1; position: relative; overflow-y: auto; overflow-x: hidden; min-height: 0; }
#diagram { display: block; width: 100%; cursor: grab; }
#plots { height: 190px; width: 100%; border-top: 1px solid #ccc; display: block; }
#lanes { position: absolute; left: 0; top: 0; width: 74px; pointer-events: none; }
.lane { position: absolute; left: 0; width: 74px; box-sizing: border-box; padding: 0 4px; display: flex; align-items: center; font-size: 12px; background: rgba(255,255,255,0.85); border-right: 1px solid #ccd; }
.lane.node { font-weight: 600; }
#violation-marker { position: absolute; width: 14px; height: 14px; border-radius: 50%; background: #c0392b; border: 2px solid #fff; box-shadow: 0 0 0 2px #c0392b; cursor: pointer; }
aside { width: 360px; overflow: auto; padding: 8px 12px; border-left: 1px solid #ccc; }
pre { white-space: pre-wrap; word-break: break-all; background: #f6f6f6; padding: 6px; }
#violation-text { color: #7b241c; }
ul { padding-left: 18px; margin: 0; }
@media (max-width: 900px) { aside { width: 230px; } .legend { display: none; } } /* the shrink page's two frames */
.swatch { display: inline-block; width: 12px; height: 10px; margin: 0 4px 0 8px; vertical-align: middle; }
`;
