/**
 * The run page's script, as a string. Plain ES2017, no dependencies, no network. It decodes the
 * embedded columns, indexes them by time, and redraws only the visible window of the canvas:
 * the cost of a frame follows what is on screen, not the length of the run. When a window holds
 * more arrows than can be read, it draws their density per pixel column instead.
 */
export const runPageScript = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('run-data').textContent);
  var S = data.strings;
  var nodeCount = data.nodeCount, clientCount = data.clientCount, laneCount = nodeCount + clientCount;
  var ARROW_LIMIT = 6000, MARK_LIMIT = 20000;
  var axisHeight = 24, bandRowHeight = 14, nodeLaneHeight = 40, stateHeight = 12, clientLaneHeight = 22, labelWidth = 78;

  // --- decode -----------------------------------------------------------------------------
  var m = data.messages, messageCount = m.from.length;
  var mSend = new Float64Array(messageCount), mEnd = new Float64Array(messageCount), mMaxEnd = new Float64Array(messageCount);
  var time = 0, running = -Infinity;
  for (var i = 0; i < messageCount; i++) {
    time += m.sendDelta[i]; mSend[i] = time; mEnd[i] = time + m.duration[i];
    running = Math.max(running, mEnd[i]); mMaxEnd[i] = running;
  }
  var k = data.marks, markCount = k.lane.length, kTime = new Float64Array(markCount);
  time = 0;
  for (var j = 0; j < markCount; j++) { time += k.timeDelta[j]; kTime[j] = time; }
  var o = data.operations, opCount = o.start.length, opMaxEnd = new Float64Array(opCount);
  running = -Infinity;
  for (var q = 0; q < opCount; q++) { running = Math.max(running, opEnd(q)); opMaxEnd[q] = running; }
  function opEnd(op) { return o.end[op] < 0 ? data.timeEnd : o.end[op]; }
  var states = data.states || { node: [], timeDelta: [], role: [], epoch: [], leader: [], commit: [], detail: [] };
  var stateCount = states.node.length, stTime = new Float64Array(stateCount), stateByNode = [];
  time = 0;
  for (var n = 0; n < nodeCount; n++) stateByNode.push([]);
  for (var s = 0; s < stateCount; s++) { time += states.timeDelta[s]; stTime[s] = time; stateByNode[states.node[s]].push(s); }
  // Completed operations by completion time, for the plots.
  var completed = [];
  for (var c = 0; c < opCount; c++) if (o.end[c] >= 0) completed.push(c);
  completed.sort(function (a, b) { return o.end[a] - o.end[b]; });

  // --- layout -----------------------------------------------------------------------------
  var bandRows = packBands();
  var bandArea = Math.max(1, bandRows.count) * bandRowHeight + 4;
  function laneTop(lane) {
    return lane < nodeCount ? axisHeight + bandArea + lane * nodeLaneHeight : axisHeight + bandArea + nodeCount * nodeLaneHeight + (lane - nodeCount) * clientLaneHeight;
  }
  function laneHeightOf(lane) { return lane < nodeCount ? nodeLaneHeight : clientLaneHeight; }
  function laneMiddle(lane) { return lane < nodeCount ? laneTop(lane) + stateHeight + (nodeLaneHeight - stateHeight) / 2 : laneTop(lane) + clientLaneHeight / 2; }
  var contentHeight = laneTop(laneCount - 1) + laneHeightOf(laneCount - 1) + 4;

  function packBands() {
    var ends = [], row = [];
    data.bands.forEach(function (band, index) {
      var r = 0;
      while (r < ends.length && ends[r] > band.start) r++;
      ends[r] = Math.max(band.end, band.start + 1);
      row[index] = r;
    });
    return { count: ends.length, row: row };
  }

  var stage = document.getElementById('stage');
  var canvas = document.getElementById('diagram');
  var context = canvas.getContext('2d');
  var plots = document.getElementById('plots');
  var plotContext = plots.getContext('2d');
  var marker = document.getElementById('violation-marker');
  canvas.style.height = contentHeight + 'px';

  var view = { start: 0, width: data.timeEnd };
  var filter = { node: -1, type: -1 };
  var selected = null;
  var matches = null;
  var report = { ready: false };
  window.__runReport = report;

  // The canvas width, read once per frame: reading clientWidth for every x() forces a layout query
  // per event drawn (seconds at a million events).
  var canvasWidth = canvas.clientWidth;
  function plotWidth() { return canvasWidth - labelWidth; }
  function x(t) { return labelWidth + (t - view.start) / view.width * plotWidth(); }
  function timeAt(px) { return view.start + (px - labelWidth) / plotWidth() * view.width; }
  function formatTime(t) { return (t / 1e6).toFixed(6) + 's'; }
  function laneName(lane) { return lane < nodeCount ? 'n' + lane : 'client ' + (lane - nodeCount); }

  // --- lane labels (DOM, so that tests and tools can find each lane) ------------------------
  function buildLanes() {
    var labels = document.getElementById('lanes');
    for (var lane = 0; lane < laneCount; lane++) {
      var label = document.createElement('div');
      label.className = 'lane ' + (lane < nodeCount ? 'node' : 'client');
      label.setAttribute('data-node', lane < nodeCount ? String(lane) : 'client-' + (lane - nodeCount));
      label.style.top = laneTop(lane) + 'px';
      label.style.height = laneHeightOf(lane) + 'px';
      label.textContent = laneName(lane);
      labels.appendChild(label);
    }
  }

  // --- window queries (binary searches over sorted columns) --------------------------------
  function lowerBound(array, value) {
    var low = 0, high = array.length;
    while (low < high) { var middle = (low + high) >> 1; if (array[middle] < value) low = middle + 1; else high = middle; }
    return low;
  }
  function messageVisible(id) {
    if (filter.node >= 0 && m.from[id] !== filter.node && m.to[id] !== filter.node) return false;
    return filter.type < 0 || m.type[id] === filter.type;
  }
  function markVisible(id) {
    return filter.node < 0 || k.lane[id] === filter.node || k.other[id] === filter.node;
  }

  // --- drawing ------------------------------------------------------------------------------
  var colours = {
    arrow: '#2f62b0', duplicate: '#8e44ad', reordered: '#d35400', held: '#138d75', dropped: '#c0392b', inflight: '#7f8c8d',
    ok: '#a8dfb0', fail: '#f5b3cd', info: '#ffe69a', pending: '#dddddd',
    partition: 'rgba(231, 76, 60, 0.13)', crash: 'rgba(40, 40, 40, 0.28)', pause: 'rgba(120, 120, 120, 0.18)', clock: 'rgba(241, 196, 15, 0.55)',
    network: 'rgba(52, 152, 219, 0.16)', storage: '#e67e22', 'client-crash': '#e67e22'
  };
  var drawn = { arrows: [], marks: [], ops: [], states: [] };
  var frame = 0;
  function requestDraw() { if (frame === 0) frame = requestAnimationFrame(function () { frame = 0; draw(); }); }

  function draw() {
    var ratio = window.devicePixelRatio || 1;
    canvasWidth = canvas.clientWidth;
    var width = canvasWidth, height = contentHeight;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio);
    }
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    context.font = '11px system-ui, sans-serif';
    context.textBaseline = 'middle';
    drawn = { arrows: [], marks: [], ops: [], states: [] };
    var counts = { arrows: 0, delivered: 0, dropped: 0, duplicates: 0, inView: 0, marks: 0, ops: 0 };
    drawLanes(width);
    drawBandsOnLanes();
    drawBandRows();
    drawStates(counts);
    drawOperations(counts);
    var mode = drawMessages(counts);
    drawMarks(counts);
    drawViolation(width);
    drawAxis(width);
    drawPlots();
    placeMarker();
    report.mode = mode;
    report.arrows = counts.arrows;
    report.deliveredArrows = counts.delivered;
    report.droppedArrows = counts.dropped;
    report.duplicateArrows = counts.duplicates;
    report.messagesInView = counts.inView;
    report.marks = counts.marks;
    report.operations = counts.ops;
    report.states = drawn.states.length;
    report.view = { start: view.start, end: view.start + view.width };
    report.drawnWidth = width;
    if (!report.ready) report.readyAt = performance.now(); // wall clock ok: in the browser, since navigation start, for the benchmark
    report.ready = true;
  }

  function drawLanes(width) {
    for (var lane = 0; lane < laneCount; lane++) {
      var top = laneTop(lane), h = laneHeightOf(lane);
      context.fillStyle = lane < nodeCount ? (lane % 2 ? '#f4f6fa' : '#fbfcfe') : (lane % 2 ? '#f7f7f7' : '#ffffff');
      context.fillRect(0, top, width, h);
      if (filter.node >= 0 && lane !== filter.node && lane < nodeCount) { context.fillStyle = 'rgba(255,255,255,0.6)'; context.fillRect(0, top, width, h); }
      context.strokeStyle = '#d5dbe5';
      context.beginPath(); context.moveTo(labelWidth, laneMiddle(lane)); context.lineTo(width, laneMiddle(lane)); context.stroke();
    }
  }

  function bandVisible(band) { return band.end >= view.start && band.start <= view.start + view.width; }

  function drawBandsOnLanes() {
    data.bands.forEach(function (band) {
      if (!bandVisible(band)) return;
      var left = Math.max(labelWidth, x(band.start)), right = Math.max(left + 2, Math.min(canvasWidth, x(band.end)));
      band.nodes.forEach(function (node) {
        if (node >= nodeCount) return;
        var top = laneTop(node);
        if (band.kind === 'clock') { context.fillStyle = colours.clock; context.fillRect(left, top + nodeLaneHeight - 4, right - left, 4); return; }
        if (band.kind === 'storage') { context.fillStyle = colours.storage; context.fillRect(left - 1, top, 3, nodeLaneHeight); return; }
        context.fillStyle = colours[band.kind] || colours.partition;
        context.fillRect(left, top, right - left, nodeLaneHeight);
      });
    });
  }

  function drawBandRows() {
    var top = axisHeight;
    context.fillStyle = '#fff';
    context.fillRect(0, top, canvasWidth, bandArea);
    context.fillStyle = '#555';
    context.fillText('faults', 4, top + bandRowHeight / 2 + 1);
    data.bands.forEach(function (band, index) {
      if (!bandVisible(band)) return;
      var y = top + bandRows.row[index] * bandRowHeight + 1;
      var left = Math.max(labelWidth, x(band.start)), right = Math.max(left + 3, Math.min(canvasWidth, x(band.end)));
      context.fillStyle = band.kind === 'partition' ? '#f1a9a0' : band.kind === 'crash' ? '#9a9a9a' : band.kind === 'pause' ? '#c8c8c8' : band.kind === 'clock' ? '#f7dc6f' : band.kind === 'network' ? '#aed6f1' : '#f0b27a';
      context.fillRect(left, y, right - left, bandRowHeight - 2);
      if (right - left > 30) {
        context.save(); context.beginPath(); context.rect(left, y, right - left, bandRowHeight); context.clip();
        context.fillStyle = '#222'; context.fillText(band.label, left + 3, y + bandRowHeight / 2);
        context.restore();
      }
    });
  }

  var roleColours = {
    leader: '#f9d56e', primary: '#f9d56e', coordinator: '#f9d56e', leading: '#f9d56e',
    candidate: '#f5b7b1', precandidate: '#fadbd8', looking: '#f5b7b1', 'view-change': '#f5b7b1',
    follower: '#d6eaf8', backup: '#d6eaf8', participant: '#d6eaf8', following: '#d6eaf8',
    down: '#bbbbbb', quarantined: '#d98880', failed: '#d98880'
  };
  /** A role's colour; Zab's 'leading/broadcast' takes the colour of 'leading'. */
  function roleColour(role) { return roleColours[role] || roleColours[role.split('/')[0]] || '#e8daef'; }
  function drawStates(counts) {
    var end = view.start + view.width;
    for (var node = 0; node < nodeCount; node++) {
      var list = stateByNode[node], top = laneTop(node) + 1;
      if (list.length === 0) continue;
      // The state in force at the window's start is the last change before it.
      var low = 0, high = list.length;
      while (low < high) { var middle = (low + high) >> 1; if (stTime[list[middle]] <= view.start) low = middle + 1; else high = middle; }
      var lastPixel = -1;
      for (var index = Math.max(0, low - 1); index < list.length; index++) {
        var id = list[index];
        if (stTime[id] > end) break;
        var next = index + 1 < list.length ? stTime[list[index + 1]] : data.timeEnd;
        var left = Math.max(labelWidth, x(stTime[id])), right = Math.min(canvasWidth, x(next));
        if (Math.floor(right) <= lastPixel) {
          // Many changes within one pixel: jump to the last change at or before the next pixel.
          var pixelTime = timeAt(lastPixel + 1), lo = index + 1, hi = list.length;
          while (lo < hi) { var mid = (lo + hi) >> 1; if (stTime[list[mid]] <= pixelTime) lo = mid + 1; else hi = mid; }
          index = Math.max(index, lo - 2);
          continue;
        }
        lastPixel = Math.floor(right);
        var role = S[states.role[id]];
        context.fillStyle = roleColour(role);
        context.fillRect(left, top, Math.max(1, right - left), stateHeight - 2);
        if (right - left > 40) {
          context.save(); context.beginPath(); context.rect(left, top, right - left, stateHeight); context.clip();
          context.fillStyle = '#222'; context.font = '9px system-ui, sans-serif';
          context.fillText(stateText(id), left + 2, top + stateHeight / 2 - 1);
          context.restore(); context.font = '11px system-ui, sans-serif';
        }
        drawn.states.push(id);
      }
    }
  }
  function stateText(id) {
    var leader = states.leader[id];
    return S[states.role[id]] + ' e' + states.epoch[id] + ' leader ' + (leader < 0 ? '-' : 'n' + leader) + ' commit ' + states.commit[id] + (states.detail[id] >= 0 ? ' ' + S[states.detail[id]] : '');
  }

  function drawOperations(counts) {
    var end = view.start + view.width;
    var lastPixel = new Float64Array(clientCount).fill(-1);
    var offending = {};
    if (data.violation) data.violation.operations.forEach(function (op) { offending[op] = true; });
    for (var op = lowerBound(opMaxEnd, view.start); op < opCount; op++) {
      if (o.start[op] > end) break;
      if (opEnd(op) < view.start) continue;
      var lane = nodeCount + o.client[op];
      if (filter.node >= 0 && filter.node < nodeCount) { /* client bars stay: they are what the nodes served */ }
      var left = Math.max(labelWidth, x(o.start[op])), right = Math.min(canvasWidth, x(opEnd(op)));
      var important = offending[op] || (selected && selected.kind === 'op' && selected.id === op) || (matches && matches.ops[op]);
      if (Math.floor(right) <= lastPixel[o.client[op]] && !important) continue;
      lastPixel[o.client[op]] = Math.floor(right);
      var top = laneTop(lane) + 3, h = clientLaneHeight - 6;
      context.fillStyle = [colours.ok, colours.fail, colours.info, colours.pending][o.outcome[op]];
      context.fillRect(left, top, Math.max(1, right - left), h);
      if (o.role[op] === 1) { context.fillStyle = 'rgba(39, 174, 96, 0.55)'; context.fillRect(left, top + h - 3, Math.max(1, right - left), 3); }
      if (offending[op]) { context.strokeStyle = '#c0392b'; context.lineWidth = 2.5; context.strokeRect(left, top, Math.max(2, right - left), h); context.lineWidth = 1; }
      if (matches && matches.ops[op]) { context.strokeStyle = '#f1c40f'; context.lineWidth = 2; context.strokeRect(left - 1, top - 1, Math.max(2, right - left) + 2, h + 2); context.lineWidth = 1; }
      if (selected && selected.kind === 'op' && selected.id === op) { context.strokeStyle = '#000'; context.lineWidth = 2; context.strokeRect(left, top, Math.max(2, right - left), h); context.lineWidth = 1; }
      if (right - left > 40) {
        context.save(); context.beginPath(); context.rect(left, top, right - left, h); context.clip();
        context.fillStyle = '#111'; context.fillText(o.label[op], left + 3, top + h / 2);
        context.restore();
      }
      drawn.ops.push(op);
      counts.ops++;
    }
  }

  function drawMessages(counts) {
    var end = view.start + view.width;
    var first = lowerBound(mMaxEnd, view.start);
    var inView = 0;
    for (var id = first; id < messageCount && mSend[id] <= end; id++) if (mEnd[id] >= view.start && messageVisible(id)) inView++;
    counts.inView = inView;
    if (inView > ARROW_LIMIT) { drawDensity(first, end); return 'density'; }
    for (var id2 = first; id2 < messageCount && mSend[id2] <= end; id2++) {
      if (mEnd[id2] < view.start || !messageVisible(id2)) continue;
      drawArrow(id2);
      drawn.arrows.push(id2);
      counts.arrows++;
      var fate = m.fate[id2];
      if (fate === 0) counts.delivered++; else if (fate !== 5) counts.dropped++;
      if (m.flags[id2] & 1) counts.duplicates++;
    }
    return 'arrows';
  }

  function arrowColour(id) {
    var fate = m.fate[id], flags = m.flags[id];
    if (fate >= 1 && fate <= 4) return colours.dropped;
    if (fate === 5) return colours.inflight;
    if (flags & 1) return colours.duplicate;
    if (flags & 4) return colours.held;
    if (flags & 2) return colours.reordered;
    return colours.arrow;
  }

  function drawArrow(id) {
    var x1 = x(mSend[id]), y1 = laneMiddle(m.from[id]), x2 = x(mEnd[id]), y2 = laneMiddle(m.to[id]);
    var fate = m.fate[id];
    var dropped = fate >= 1 && fate <= 4;
    if (dropped && x2 - x1 < 10) {
      // Lost at the send: a short stub towards the receiver, ending in a cross.
      var length = Math.min(18, Math.abs(y2 - y1) * 0.5);
      x2 = x1 + length; y2 = y1 + Math.sign(y2 - y1) * length;
    }
    var colour = arrowColour(id);
    var highlighted = (selected && selected.kind === 'message' && selected.id === id) || (matches && matches.labels[m.label[id]]);
    context.strokeStyle = colour;
    context.fillStyle = colour;
    context.lineWidth = highlighted ? 2.5 : 1;
    context.setLineDash((m.flags[id] & 1) || (m.flags[id] & 4) || fate === 5 ? [4, 3] : []);
    context.beginPath(); context.moveTo(x1, y1); context.lineTo(x2, y2); context.stroke();
    context.setLineDash([]);
    if (highlighted) { context.strokeStyle = selected && selected.id === id ? 'rgba(0,0,0,0.35)' : 'rgba(241, 196, 15, 0.7)'; context.lineWidth = 5; context.beginPath(); context.moveTo(x1, y1); context.lineTo(x2, y2); context.stroke(); }
    context.lineWidth = 1;
    context.beginPath(); context.arc(x1, y1, 1.8, 0, 2 * Math.PI); context.fill();
    if (dropped) {
      context.lineWidth = 2;
      context.beginPath(); context.moveTo(x2 - 4, y2 - 4); context.lineTo(x2 + 4, y2 + 4); context.moveTo(x2 + 4, y2 - 4); context.lineTo(x2 - 4, y2 + 4); context.stroke();
      context.lineWidth = 1;
    } else if (fate === 0) {
      var angle = Math.atan2(y2 - y1, x2 - x1);
      context.beginPath(); context.moveTo(x2, y2);
      context.lineTo(x2 - 7 * Math.cos(angle - 0.4), y2 - 7 * Math.sin(angle - 0.4));
      context.lineTo(x2 - 7 * Math.cos(angle + 0.4), y2 - 7 * Math.sin(angle + 0.4));
      context.closePath(); context.fill();
    }
    var lengthPx = Math.hypot(x2 - x1, y2 - y1);
    if (lengthPx > 90) {
      context.save();
      context.translate((x1 + x2) / 2, (y1 + y2) / 2);
      var rotation = Math.atan2(y2 - y1, x2 - x1);
      if (rotation > Math.PI / 2 || rotation < -Math.PI / 2) rotation += Math.PI;
      context.rotate(rotation);
      context.font = '10px system-ui, sans-serif';
      var text = S[m.label[id]];
      var maxWidth = lengthPx - 20;
      while (text.length > 4 && context.measureText(text).width > maxWidth) text = text.slice(0, Math.floor(text.length * 0.8)) + '…';
      context.fillStyle = '#1b2631';
      context.fillText(text, -context.measureText(text).width / 2, -6);
      context.restore();
      context.font = '11px system-ui, sans-serif';
    }
  }

  /** Too many arrows to read: how many messages each node sends per pixel column. */
  function drawDensity(first, end) {
    var width = canvasWidth, columns = Math.max(1, Math.ceil(width - labelWidth));
    var bins = [];
    for (var lane = 0; lane < nodeCount; lane++) bins.push(new Uint32Array(columns));
    var peak = 1;
    for (var id = first; id < messageCount && mSend[id] <= end; id++) {
      if (mEnd[id] < view.start || !messageVisible(id)) continue;
      var column = Math.floor(x(Math.max(view.start, mSend[id])) - labelWidth);
      if (column < 0 || column >= columns) continue;
      var value = ++bins[m.from[id]][column];
      if (value > peak) peak = value;
    }
    context.fillStyle = 'rgba(47, 98, 176, 0.75)';
    for (var node = 0; node < nodeCount; node++) {
      var bottom = laneTop(node) + nodeLaneHeight - 2, room = nodeLaneHeight - stateHeight - 4;
      for (var col = 0; col < columns; col++) {
        var count = bins[node][col];
        if (count === 0) continue;
        var h = Math.max(1, room * Math.log(1 + count) / Math.log(1 + peak));
        context.fillRect(labelWidth + col, bottom - h, 1, h);
      }
    }
    context.fillStyle = '#555';
    context.fillText('messages sent per pixel (zoom in to see each arrow)', labelWidth + 6, laneTop(0) + stateHeight + 6);
  }

  function drawMarks(counts) {
    var end = view.start + view.width;
    var first = lowerBound(kTime, view.start), last = lowerBound(kTime, end + 1e-9);
    var dense = last - first > MARK_LIMIT;
    var lastPixel = new Float64Array(laneCount * 8).fill(-1);
    for (var id = first; id < last; id++) {
      if (!markVisible(id)) continue;
      var kind = k.kind[id], lane = k.lane[id], px = x(kTime[id]);
      var slot = lane * 8 + kind;
      var important = kind === 1 || kind === 2 || (selected && selected.kind === 'mark' && selected.id === id) || (matches && matches.labels[k.label[id]]);
      if (dense && Math.floor(px) <= lastPixel[slot] && !important) continue;
      lastPixel[slot] = Math.floor(px);
      drawMark(id, px);
      drawn.marks.push(id);
      counts.marks++;
    }
  }

  function drawMark(id, px) {
    var kind = k.kind[id], lane = k.lane[id], y = laneMiddle(lane);
    var highlighted = (selected && selected.kind === 'mark' && selected.id === id) || (matches && matches.labels[k.label[id]]);
    if (highlighted) { context.fillStyle = selected && selected.id === id ? 'rgba(0,0,0,0.25)' : 'rgba(241, 196, 15, 0.7)'; context.beginPath(); context.arc(px, y, 8, 0, 2 * Math.PI); context.fill(); }
    switch (kind) {
      case 0: // timer
        context.strokeStyle = '#7d8a99'; context.beginPath(); context.arc(px, y, 3, 0, 2 * Math.PI); context.stroke(); break;
      case 1: // crash
        context.strokeStyle = '#000'; context.lineWidth = 3;
        context.beginPath(); context.moveTo(px - 6, y - 6); context.lineTo(px + 6, y + 6); context.moveTo(px + 6, y - 6); context.lineTo(px - 6, y + 6); context.stroke();
        context.lineWidth = 1; break;
      case 2: // restart
        context.fillStyle = '#1e8449'; context.beginPath(); context.moveTo(px - 5, y - 6); context.lineTo(px + 6, y); context.lineTo(px - 5, y + 6); context.closePath(); context.fill(); break;
      case 3: case 4: // pause, resume
        context.fillStyle = '#555'; context.fillRect(px - 4, y - 6, 3, 12); if (kind === 3) context.fillRect(px + 1, y - 6, 3, 12); break;
      case 5: case 6: // request (at the node), response (at the client): a connector between the lanes
        var other = laneMiddle(k.other[id]);
        context.strokeStyle = kind === 5 ? 'rgba(127, 140, 141, 0.6)' : 'rgba(39, 174, 96, 0.6)';
        context.setLineDash([2, 2]); context.beginPath(); context.moveTo(px, other); context.lineTo(px, y); context.stroke(); context.setLineDash([]);
        context.fillStyle = context.strokeStyle; context.fillRect(px - 1.5, y - 1.5, 3, 3); break;
    }
  }

  function drawViolation(width) {
    var v = data.violation;
    if (!v) return;
    var px = x(v.time);
    if (px < labelWidth || px > width) return;
    context.strokeStyle = 'rgba(192, 57, 43, 0.85)'; context.lineWidth = 2;
    context.beginPath(); context.moveTo(px, axisHeight); context.lineTo(px, contentHeight); context.stroke();
    context.lineWidth = 1;
    if (v.lane >= 0) { context.strokeStyle = '#c0392b'; context.lineWidth = 3; context.beginPath(); context.arc(px, laneMiddle(v.lane), 11, 0, 2 * Math.PI); context.stroke(); context.lineWidth = 1; }
  }

  function placeMarker() {
    var v = data.violation;
    if (!v) return;
    var px = x(v.time);
    marker.style.display = px < labelWidth || px > canvasWidth ? 'none' : 'block';
    marker.style.left = (px - 7) + 'px';
    marker.style.top = (v.lane >= 0 ? laneMiddle(v.lane) - 7 : axisHeight) + 'px';
  }

  function tickStep(width) {
    var rough = view.width / Math.max(1, width / 110);
    var magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
    var ratio = rough / magnitude;
    return ratio > 5 ? 10 * magnitude : ratio > 2 ? 5 * magnitude : ratio > 1 ? 2 * magnitude : magnitude;
  }

  function drawAxis(width) {
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, axisHeight);
    context.fillStyle = '#555'; context.strokeStyle = '#bbb';
    var step = tickStep(width - labelWidth);
    for (var tick = Math.ceil(view.start / step) * step; tick < view.start + view.width; tick += step) {
      var px = x(tick);
      if (px < labelWidth) continue;
      context.beginPath(); context.moveTo(px, axisHeight - 6); context.lineTo(px, axisHeight); context.stroke();
      context.fillText(tickLabel(tick, step), px + 2, axisHeight / 2);
    }
    context.fillText('time', 4, axisHeight / 2);
  }
  function tickLabel(t, step) {
    if (step >= 1e6) return (t / 1e6).toFixed(0) + 's';
    if (step >= 1e3) return (t / 1e3).toFixed(0) + 'ms';
    return t.toFixed(0) + 'µs';
  }

  // --- plots: throughput, latency (p50 / p99), availability, faults behind -----------------
  function drawPlots() {
    var ratio = window.devicePixelRatio || 1;
    var width = plots.clientWidth, height = plots.clientHeight;
    if (plots.width !== Math.round(width * ratio) || plots.height !== Math.round(height * ratio)) { plots.width = Math.round(width * ratio); plots.height = Math.round(height * ratio); }
    plotContext.setTransform(ratio, 0, 0, ratio, 0, 0);
    plotContext.clearRect(0, 0, width, height);
    plotContext.font = '10px system-ui, sans-serif';
    plotContext.textBaseline = 'middle';
    var panelHeight = Math.floor((height - 6) / 3);
    var buckets = Math.max(1, Math.floor((width - labelWidth) / 10));
    var bucketWidth = view.width / buckets;
    var ok = new Float64Array(buckets), failed = new Float64Array(buckets), info = new Float64Array(buckets), latencies = [];
    for (var b = 0; b < buckets; b++) latencies.push([]);
    var from = lowerBoundBy(completed, view.start, function (op) { return o.end[op]; });
    for (var index = from; index < completed.length; index++) {
      var op = completed[index], endTime = o.end[op];
      if (endTime >= view.start + view.width) break;
      var bucket = Math.min(buckets - 1, Math.floor((endTime - view.start) / bucketWidth));
      if (o.outcome[op] === 0) { ok[bucket]++; latencies[bucket].push(endTime - o.start[op]); } else if (o.outcome[op] === 1) failed[bucket]++; else info[bucket]++;
    }
    var perSecond = 1e6 / bucketWidth;
    var p50 = new Float64Array(buckets).fill(NaN), p99 = new Float64Array(buckets).fill(NaN), availability = new Float64Array(buckets).fill(NaN);
    var peakRate = 1, peakLatency = 1;
    for (var k2 = 0; k2 < buckets; k2++) {
      var list = latencies[k2];
      if (list.length > 0) {
        list.sort(function (a, b2) { return a - b2; });
        p50[k2] = list[Math.floor((list.length - 1) * 0.5)]; p99[k2] = list[Math.floor((list.length - 1) * 0.99)];
        peakLatency = Math.max(peakLatency, p99[k2]);
      }
      var total = ok[k2] + failed[k2] + info[k2];
      if (total > 0) availability[k2] = ok[k2] / total;
      peakRate = Math.max(peakRate, total * perSecond);
    }
    var panels = [
      { title: 'throughput ops/s', top: 2, max: peakRate, series: [{ values: ok, scale: perSecond, colour: '#27ae60' }, { values: failed, scale: perSecond, colour: '#e84393' }, { values: info, scale: perSecond, colour: '#d4ac0d' }], unit: function (v) { return v.toFixed(0); } },
      { title: 'latency p50 / p99', top: 2 + panelHeight + 2, max: peakLatency, series: [{ values: p50, scale: 1, colour: '#2f62b0' }, { values: p99, scale: 1, colour: '#c0392b' }], unit: function (v) { return (v / 1000).toFixed(1) + 'ms'; } },
      { title: 'availability', top: 2 + 2 * (panelHeight + 2), max: 1, series: [{ values: availability, scale: 1, colour: '#16a085' }], unit: function (v) { return (v * 100).toFixed(0) + '%'; } }
    ];
    panels.forEach(function (panel) { drawPanel(panel, panelHeight, width, buckets, bucketWidth); });
    report.plots = { buckets: buckets, completed: sum(ok) + sum(failed) + sum(info) };
  }
  function sum(values) { var total = 0; for (var i2 = 0; i2 < values.length; i2++) total += values[i2]; return total; }
  function lowerBoundBy(array, value, key) {
    var low = 0, high = array.length;
    while (low < high) { var middle = (low + high) >> 1; if (key(array[middle]) < value) low = middle + 1; else high = middle; }
    return low;
  }
  function drawPanel(panel, panelHeight, width, buckets, bucketWidth) {
    var g = plotContext, top = panel.top, bottom = top + panelHeight - 2;
    g.fillStyle = '#fbfbfb'; g.fillRect(labelWidth, top, width - labelWidth, panelHeight - 2);
    data.bands.forEach(function (band) {
      if (!bandVisible(band) || (band.kind !== 'partition' && band.kind !== 'crash' && band.kind !== 'pause')) return;
      var left = Math.max(labelWidth, x(band.start)), right = Math.max(left + 2, Math.min(width, x(band.end)));
      g.fillStyle = band.kind === 'partition' ? 'rgba(231, 76, 60, 0.15)' : band.kind === 'crash' ? 'rgba(60, 60, 60, 0.15)' : 'rgba(120,120,120,0.12)';
      g.fillRect(left, top, right - left, panelHeight - 2);
    });
    g.fillStyle = '#444'; g.fillText(panel.title, 4, top + 8); g.fillText(panel.unit(panel.max), 4, top + 20);
    panel.series.forEach(function (series) {
      g.strokeStyle = series.colour; g.lineWidth = 1.3; g.beginPath();
      var drawing = false;
      for (var b = 0; b < buckets; b++) {
        var value = series.values[b] * series.scale;
        if (!(value === value)) { drawing = false; continue; }
        var px = labelWidth + (b + 0.5) * (width - labelWidth) / buckets, py = bottom - value / panel.max * (panelHeight - 8);
        if (drawing) g.lineTo(px, py); else g.moveTo(px, py);
        drawing = true;
      }
      g.stroke();
    });
    g.lineWidth = 1;
  }

  // --- details, selection, search -----------------------------------------------------------
  function setText(id, text) { document.getElementById(id).textContent = text; }
  var fateNames = ['delivered', 'dropped (loss)', 'dropped (partition)', 'dropped (node down)', 'dropped (paused, queue full)', 'never arrived (in flight or held at the end)'];
  var markNames = ['timer', 'crash', 'restart', 'pause', 'resume', 'client request arrives', 'response arrives'];
  var outcomeNames = ['ok', 'fail', 'info (indeterminate)', 'pending at the end'];

  function stateAt(node, t, before) {
    var list = stateByNode[node];
    var found = -1;
    for (var index = 0; index < list.length; index++) {
      var st = stTime[list[index]];
      if (before ? st < t : st <= t) found = list[index]; else break;
    }
    return found < 0 ? '(no summary)' : stateText(found);
  }
  function stateLines(node, t) {
    if (stateCount === 0 || node < 0 || node >= nodeCount) return '';
    return '\nn' + node + ' state before: ' + stateAt(node, t, true) + '\nn' + node + ' state after:  ' + stateAt(node, t, false);
  }

  function describeSelection(item) {
    if (item.kind === 'message') {
      var id = item.id, flags = [];
      if (m.flags[id] & 1) flags.push('duplicate copy');
      if (m.flags[id] & 2) flags.push('reordered (overtaken on its link)');
      if (m.flags[id] & 4) flags.push('held by a partition');
      return 'message n' + m.from[id] + ' → n' + m.to[id] + '\n' + S[m.label[id]] + '\nsent ' + formatTime(mSend[id]) + ', ' + fateNames[m.fate[id]] + ' ' + formatTime(mEnd[id]) +
        ' (after ' + ((mEnd[id] - mSend[id]) / 1000).toFixed(3) + 'ms)' + (flags.length ? '\n' + flags.join(', ') : '') + stateLines(m.to[id], mEnd[id]);
    }
    if (item.kind === 'mark') {
      var mark = item.id;
      return markNames[k.kind[mark]] + ' on ' + laneName(k.lane[mark]) + ' at ' + formatTime(kTime[mark]) + '\n' + S[k.label[mark]] + stateLines(k.lane[mark], kTime[mark]);
    }
    if (item.kind === 'state') {
      var st = item.id;
      return 'state of n' + states.node[st] + ' from ' + formatTime(stTime[st]) + '\n' + stateText(st);
    }
    var op = item.id;
    return 'operation on client ' + o.client[op] + ' (process ' + o.process[op] + ')\n' + o.label[op] + '\n' + outcomeNames[o.outcome[op]] + ', invoked ' + formatTime(o.start[op]) +
      (o.end[op] >= 0 ? ', completed ' + formatTime(o.end[op]) + ' (' + ((o.end[op] - o.start[op]) / 1000).toFixed(3) + 'ms)' : '') +
      (o.role[op] === 2 ? '\nthe checker cannot order this operation after the longest linearizable prefix' : o.role[op] === 1 ? '\nin the longest linearizable prefix' : '');
  }

  function select(item) {
    selected = item;
    var text = item ? describeSelection(item) : 'click an arrow, a mark or an operation';
    setText('details', text);
    report.selected = item ? { kind: item.kind, id: item.id, text: text } : null;
    requestDraw();
  }

  function distanceToSegment(px, py, x1, y1, x2, y2) {
    var dx = x2 - x1, dy = y2 - y1, length = dx * dx + dy * dy;
    var t = length === 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / length));
    return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
  }

  function hit(px, py) {
    var best = null, bestDistance = 6;
    drawn.marks.forEach(function (id) {
      var mx = x(kTime[id]), my = laneMiddle(k.lane[id]);
      var d = Math.hypot(px - mx, py - my) - 2;
      if (d < bestDistance) { bestDistance = d; best = { kind: 'mark', id: id }; }
    });
    drawn.arrows.forEach(function (id) {
      var x1 = x(mSend[id]), y1 = laneMiddle(m.from[id]), x2 = x(mEnd[id]), y2 = laneMiddle(m.to[id]);
      if (m.fate[id] >= 1 && m.fate[id] <= 4 && x2 - x1 < 10) { var length = Math.min(18, Math.abs(y2 - y1) * 0.5); x2 = x1 + length; y2 = y1 + Math.sign(y2 - y1) * length; }
      var d = distanceToSegment(px, py, x1, y1, x2, y2);
      if (d < bestDistance) { bestDistance = d; best = { kind: 'message', id: id }; }
    });
    if (best) return best;
    for (var index = 0; index < drawn.ops.length; index++) {
      var op = drawn.ops[index], top = laneTop(nodeCount + o.client[op]);
      if (py >= top && py <= top + clientLaneHeight && px >= x(o.start[op]) - 2 && px <= x(opEnd(op)) + 2) return { kind: 'op', id: op };
    }
    for (var s2 = 0; s2 < drawn.states.length; s2++) {
      var st = drawn.states[s2], node = states.node[st], next = nextState(st);
      if (py >= laneTop(node) && py <= laneTop(node) + stateHeight && px >= x(stTime[st]) && px <= x(next)) return { kind: 'state', id: st };
    }
    return null;
  }
  function nextState(st) {
    var list = stateByNode[states.node[st]], index = list.indexOf(st);
    return index + 1 < list.length ? stTime[list[index + 1]] : data.timeEnd;
  }

  function focusTime(t, width) {
    view.width = Math.max(10, Math.min(width, data.timeEnd * 1.1));
    view.start = t - view.width / 2;
  }

  function search(text) {
    if (text === '') { matches = null; setText('search-count', ''); report.matches = 0; requestDraw(); return; }
    var needle = text.toLowerCase(), labels = {}, ops = {}, list = [];
    S.forEach(function (string, index) { if (string.toLowerCase().indexOf(needle) >= 0) labels[index] = true; });
    for (var id = 0; id < messageCount; id++) if (labels[m.label[id]]) list.push({ time: mSend[id], item: { kind: 'message', id: id } });
    for (var mark = 0; mark < markCount; mark++) if (labels[k.label[mark]]) list.push({ time: kTime[mark], item: { kind: 'mark', id: mark } });
    for (var op = 0; op < opCount; op++) if (o.label[op].toLowerCase().indexOf(needle) >= 0) { ops[op] = true; list.push({ time: o.start[op], item: { kind: 'op', id: op } }); }
    list.sort(function (a, b) { return a.time - b.time; });
    matches = { labels: labels, ops: ops, list: list, next: 0 };
    setText('search-count', list.length + ' matches');
    report.matches = list.length;
    requestDraw();
  }
  function nextMatch() {
    if (!matches || matches.list.length === 0) return;
    var entry = matches.list[matches.next % matches.list.length];
    matches.next++;
    focusTime(entry.time, Math.min(view.width, data.timeEnd / 10));
    select(entry.item);
  }

  // --- header and controls -----------------------------------------------------------------
  function showHeader() {
    setText('title', data.title);
    var verdict = document.getElementById('verdict');
    verdict.textContent = data.verdict.toUpperCase() + (data.verdict === data.expected ? ' (as expected)' : ' (expected ' + data.expected + ')');
    verdict.className = data.verdict === 'pass' ? 'good' : 'bad';
    setText('meta', 'trace hash ' + data.traceHash + ' · ' + data.build + ' · ' + data.source);
    var summary = document.getElementById('summary');
    data.summary.forEach(function (line) { var item = document.createElement('li'); item.textContent = line; summary.appendChild(item); });
    var violation = document.getElementById('violation-text');
    violation.textContent = data.violation ? data.violation.kind + ' at ' + formatTime(data.violation.time) + (data.violation.lane >= 0 ? ' on ' + laneName(data.violation.lane) : '') + ': ' + data.violation.text : 'no violation: the run passed its checks';
    var nodeSelect = document.getElementById('node-filter');
    for (var node = 0; node < nodeCount; node++) addOption(nodeSelect, String(node), 'n' + node);
    nodeSelect.addEventListener('change', function () { filter.node = Number(nodeSelect.value); requestDraw(); });
    var typeSelect = document.getElementById('type-filter');
    var types = {};
    for (var id = 0; id < messageCount; id++) types[m.type[id]] = true;
    Object.keys(types).map(Number).sort(function (a, b) { return S[a] < S[b] ? -1 : 1; }).forEach(function (type) { addOption(typeSelect, String(type), S[type]); });
    typeSelect.addEventListener('change', function () { filter.type = Number(typeSelect.value); requestDraw(); });
    var searchBox = document.getElementById('search');
    searchBox.addEventListener('input', function () { search(searchBox.value); });
    searchBox.addEventListener('keydown', function (event) { if (event.key === 'Enter') nextMatch(); });
    document.getElementById('fit').addEventListener('click', function () { view.start = 0; view.width = data.timeEnd; requestDraw(); });
    document.getElementById('goto-violation').addEventListener('click', focusViolation);
    marker.addEventListener('click', focusViolation);
    marker.title = violation.textContent;
  }
  function addOption(select, value, text) { var option = document.createElement('option'); option.value = value; option.textContent = text; select.appendChild(option); }

  /** About 150 messages either side of the violation: enough context, every arrow readable. */
  function focusViolation() {
    var v = data.violation;
    if (!v) return;
    var density = messageCount / Math.max(1, data.timeEnd);
    focusTime(v.time, density > 0 ? Math.max(2000, Math.min(data.timeEnd, 300 / density)) : data.timeEnd);
    var lane = v.lane >= 0 ? v.lane : 0;
    var middle = laneMiddle(lane);
    if (middle < stage.scrollTop || middle > stage.scrollTop + stage.clientHeight) stage.scrollTop = Math.max(0, middle - stage.clientHeight / 2);
    if (v.operations.length > 0) select({ kind: 'op', id: v.operations[0] });
    requestDraw();
  }

  // --- interaction: wheel zooms time, drag pans, click selects -------------------------------
  var drag = null;
  function attach(target) {
    target.addEventListener('mousedown', function (event) { drag = { x: event.clientX, start: view.start, moved: false, target: target }; });
    target.addEventListener('wheel', function (event) {
      if (target === canvas && event.shiftKey) return; // shift+wheel scrolls lanes natively
      event.preventDefault();
      var box = target.getBoundingClientRect();
      var pivot = timeAt(event.clientX - box.left);
      var factor = event.deltaY > 0 ? 1.25 : 0.8;
      view.width = Math.max(10, Math.min(data.timeEnd * 4, view.width * factor));
      view.start = pivot - (pivot - view.start) * factor;
      requestDraw();
    }, { passive: false });
  }
  attach(canvas); attach(plots);
  window.addEventListener('mousemove', function (event) {
    if (drag === null) return;
    var dx = event.clientX - drag.x;
    if (Math.abs(dx) > 3) drag.moved = true;
    view.start = drag.start - dx / plotWidth() * view.width;
    requestDraw();
  });
  window.addEventListener('mouseup', function (event) {
    if (drag !== null && !drag.moved && drag.target === canvas) {
      var box = canvas.getBoundingClientRect();
      select(hit(event.clientX - box.left, event.clientY - box.top));
    }
    drag = null;
  });
  window.addEventListener('resize', requestDraw);
  // A frame (the shrink page shows two) can run this script before its parent has laid it out, so
  // the first draw may see a 0-wide canvas. Redraw when the canvas gets its size: the observer
  // covers later resizes, the timer covers a frame whose rendering is throttled (out of view, or a
  // busy machine), since timers still run there.
  if (typeof ResizeObserver === 'function') new ResizeObserver(function () { if (canvas.clientWidth !== canvasWidth) requestDraw(); }).observe(canvas);
  function drawOnceSized() { if (canvas.clientWidth === 0) { setTimeout(drawOnceSized, 50); return; } if (canvas.clientWidth !== canvasWidth) draw(); }  // wall clock ok: the report page in the browser, not simulated code

  // Hooks for tests and tools: set the window in simulated microseconds, redraw at once.
  report.setView = function (start, end) { view.start = start; view.width = Math.max(1, end - start); draw(); return report; };
  report.xOf = function (t) { return x(t); };
  report.timeEnd = data.timeEnd;
  report.laneMiddle = laneMiddle;
  report.messages = function () { return { send: Array.prototype.slice.call(mSend), end: Array.prototype.slice.call(mEnd), fate: m.fate, from: m.from, to: m.to }; };
  report.selectAt = function (px, py) { select(hit(px, py)); return report.selected; };

  buildLanes();
  showHeader();
  if (data.violation) focusViolation(); else { view.start = 0; view.width = data.timeEnd; }
  select(selected);
  draw();
  drawOnceSized();
})();
`;
