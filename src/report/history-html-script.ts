/**
 * The page's script, as a string. Plain ES2020, no dependencies. It reads the embedded JSON,
 * builds a per-lane index sorted by start time, and redraws only the visible window.
 */
export const historyPageScript = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('history-data').textContent);
  var count = data.start.length;
  var canvas = document.getElementById('canvas');
  var context = canvas.getContext('2d');
  var laneHeight = 22, axisHeight = 24, laneLabelWidth = 56;
  var selectedPartition = firstInteresting();
  var selected = -1;
  var span = Math.max(1, data.timeMax - data.timeMin);
  var view = { start: data.timeMin - span * 0.01, width: span * 1.02, laneOffset: 0 };

  // Per lane: operation ids sorted by start, plus the running maximum of ends for window queries.
  var lanes = data.processes.map(function () { return []; });
  for (var id = 0; id < count; id++) lanes[data.lane[id]].push(id);
  var laneMaxEnd = lanes.map(function (ids) {
    ids.sort(function (a, b) { return data.start[a] - data.start[b]; });
    var running = -Infinity;
    return ids.map(function (op) { running = Math.max(running, endOf(op)); return running; });
  });
  var positionInOrder = new Int32Array(count).fill(-1);
  function endOf(op) { return data.end[op] === null ? data.timeMax : data.end[op]; }

  function firstInteresting() {
    for (var i = 0; i < data.partitions.length; i++) if (data.partitions[i].verdict === 'not linearizable') return i;
    for (var j = 0; j < data.partitions.length; j++) if (data.partitions[j].verdict === 'unknown') return j;
    return 0;
  }

  function setText(id, text) { document.getElementById(id).textContent = text; }

  function showHeader() {
    setText('title', data.title + ' (model ' + data.model + ', ' + count + ' operations, ' + data.elapsedMs.toFixed(1) + ' ms)');
    var verdict = document.getElementById('verdict');
    verdict.textContent = data.verdict.toUpperCase();
    verdict.className = data.verdict === 'linearizable' ? 'good' : data.verdict === 'unknown' ? 'unknown' : 'bad';
    var select = document.getElementById('partition');
    data.partitions.forEach(function (partition, index) {
      var option = document.createElement('option');
      option.value = String(index);
      option.textContent = (partition.key === '' ? '(single object)' : partition.key) + ': ' + partition.verdict;
      select.appendChild(option);
    });
    select.value = String(selectedPartition);
    select.addEventListener('change', function () { selectPartition(Number(select.value)); });
  }

  // The consistency ladder: one row per model; a violation's explanation below it, and a click
  // on a violated model focuses its first operation.
  function showLadder() {
    if (data.ladder === null) return;
    var section = document.getElementById('ladder');
    section.hidden = false;
    var heading = document.createElement('strong');
    heading.textContent = 'Consistency: strongest that holds: ' + (data.strongest.length === 0 ? 'none' : data.strongest.join(', '));
    section.appendChild(heading);
    var table = document.createElement('table');
    data.ladder.forEach(function (row) {
      var line = document.createElement('tr');
      line.setAttribute('data-model', row.model);
      var name = document.createElement('td');
      name.textContent = row.model;
      var verdict = document.createElement('td');
      verdict.className = row.verdict;
      verdict.textContent = row.verdict;
      var detail = document.createElement('td');
      detail.className = 'detail';
      detail.textContent = row.detail;
      line.appendChild(name); line.appendChild(verdict); line.appendChild(detail);
      if (row.operations.length > 0) {
        line.style.cursor = 'pointer';
        line.addEventListener('click', function () { focusOn(row.operations[0]); });
      }
      table.appendChild(line);
    });
    section.appendChild(table);
  }

  function selectPartition(index) {
    selectedPartition = index;
    var partition = data.partitions[index];
    positionInOrder.fill(-1);
    partition.order.forEach(function (op, position) { positionInOrder[op] = position; });
    var summary = document.getElementById('summary');
    summary.textContent = '';
    var heading = document.createElement('strong');
    heading.textContent = (partition.key === '' ? 'History' : 'Key ' + partition.key) + ': ' + partition.verdict;
    summary.appendChild(heading);
    var text = document.createElement('p');
    text.textContent = partition.summary;
    summary.appendChild(text);
    if (partition.state !== '') {
      var state = document.createElement('p');
      state.textContent = 'State after the longest linearizable prefix (' + partition.order.length + ' operations): ' + partition.state;
      summary.appendChild(state);
    }
    var list = document.getElementById('offending');
    list.textContent = '';
    partition.offending.forEach(function (op) {
      var item = document.createElement('li');
      item.textContent = describe(op);
      item.addEventListener('click', function () { focusOn(op); });
      list.appendChild(item);
    });
    if (partition.offending.length > 0) focusOn(partition.offending[0]);
    draw();
  }

  function describe(op) {
    return '#' + op + ' p' + data.processes[data.lane[op]] + ' ' + data.label[op] + (data.outcome[op] === 'ok' ? '' : ' (' + data.outcome[op] + ')');
  }

  function focusOn(op) {
    selected = op;
    var interval = Math.min(endOf(op), data.timeMax) - data.start[op];
    var width = Math.max(interval * 3, span / 50);
    view.start = data.start[op] - width / 3;
    view.width = width;
    var lanesVisible = Math.max(1, Math.floor((canvas.clientHeight - axisHeight) / laneHeight));
    view.laneOffset = clampLane(data.lane[op] - Math.floor(lanesVisible / 2));
    showDetails(op);
    draw();
  }

  function showDetails(op) {
    var position = positionInOrder[op];
    setText('details', describe(op) + '\ninterval: ' + data.start[op] + ' .. ' + (data.end[op] === null ? 'never returned' : data.end[op]) +
      '\n' + (position >= 0 ? 'linearized at position ' + (position + 1) : 'not in the linearization shown'));
  }

  function clampLane(offset) { return Math.max(0, Math.min(offset, Math.max(0, lanes.length - 1))); }
  function x(time) { return laneLabelWidth + (time - view.start) / view.width * (canvas.clientWidth - laneLabelWidth); }
  function timeAt(px) { return view.start + (px - laneLabelWidth) / (canvas.clientWidth - laneLabelWidth) * view.width; }

  /** The first index in a lane whose running max end reaches the window start (binary search). */
  function firstVisible(lane, time) {
    var ends = laneMaxEnd[lane], low = 0, high = ends.length;
    while (low < high) { var middle = (low + high) >> 1; if (ends[middle] < time) low = middle + 1; else high = middle; }
    return low;
  }

  var colours = ['#b8c4d6', '#7fbf8f', '#e0455e'];
  var drawn = 0;
  function draw() {
    var ratio = window.devicePixelRatio || 1;
    var width = canvas.clientWidth, height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio);
    }
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    context.font = '11px system-ui, sans-serif';
    context.textBaseline = 'middle';
    drawn = 0;
    var windowEnd = view.start + view.width;
    var lastLane = Math.min(lanes.length, view.laneOffset + Math.ceil((height - axisHeight) / laneHeight) + 1);
    var points = [];
    for (var lane = view.laneOffset; lane < lastLane; lane++) {
      var top = axisHeight + (lane - view.laneOffset) * laneHeight;
      context.fillStyle = lane % 2 ? '#f7f7f9' : '#ffffff';
      context.fillRect(0, top, width, laneHeight);
      context.fillStyle = '#555';
      context.fillText('p' + data.processes[lane], 4, top + laneHeight / 2);
      var ids = lanes[lane];
      var lastPixel = -1;
      for (var index = firstVisible(lane, view.start); index < ids.length; index++) {
        var op = ids[index];
        if (data.start[op] > windowEnd) break;
        var left = Math.max(laneLabelWidth, x(data.start[op])), right = Math.min(width, x(endOf(op)));
        // Several operations in one pixel column are drawn once: that keeps 100k ops fast.
        if (Math.floor(right) <= lastPixel && op !== selected && data.status[op] !== 2) continue;
        lastPixel = Math.floor(right);
        var inPartition = data.partition[op] === selectedPartition;
        context.globalAlpha = inPartition ? 1 : 0.35;
        context.fillStyle = data.outcome[op] === 'info' && data.status[op] === 0 ? '#f2c14e' : colours[data.status[op]];
        context.fillRect(left, top + 3, Math.max(1, right - left), laneHeight - 6);
        if (op === selected) { context.strokeStyle = '#000'; context.lineWidth = 2; context.strokeRect(left, top + 3, Math.max(1, right - left), laneHeight - 6); }
        if (right - left > 40) {
          context.fillStyle = '#111';
          context.save(); context.beginPath(); context.rect(left, top, right - left, laneHeight); context.clip();
          context.fillText(data.label[op], left + 3, top + laneHeight / 2);
          context.restore();
        }
        if (inPartition && positionInOrder[op] >= 0) points.push(op);
        drawn++;
      }
    }
    context.globalAlpha = 1;
    drawOrder(points);
    drawAxis(width);
    window.__historyReport = { drawn: drawn, partition: selectedPartition, selected: selected };
  }

  /** The linearization as a path through its operations, in order, with each position labelled. */
  function drawOrder(visible) {
    if (visible.length === 0) return;
    visible.sort(function (a, b) { return positionInOrder[a] - positionInOrder[b]; });
    context.strokeStyle = 'rgba(30, 60, 160, 0.7)';
    context.lineWidth = 1.5;
    context.beginPath();
    var previousTime = -Infinity;
    visible.forEach(function (op, index) {
      var time = Math.min(endOf(op), Math.max(data.start[op], previousTime));
      previousTime = time;
      var px = x(time), py = axisHeight + (data.lane[op] - view.laneOffset) * laneHeight + laneHeight / 2;
      if (index === 0) context.moveTo(px, py); else context.lineTo(px, py);
    });
    context.stroke();
  }

  function drawAxis(width) {
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, axisHeight);
    context.fillStyle = '#555';
    context.strokeStyle = '#ccc';
    // About one labelled tick per 100 pixels, on a 1-2-5 scale.
    var rough = view.width / Math.max(1, (width - laneLabelWidth) / 100);
    var magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
    var step = rough / magnitude > 5 ? 10 * magnitude : rough / magnitude > 2 ? 5 * magnitude : rough / magnitude > 1 ? 2 * magnitude : magnitude;
    for (var tick = Math.ceil(view.start / step) * step; tick < view.start + view.width; tick += step) {
      var px = x(tick);
      context.beginPath(); context.moveTo(px, axisHeight - 6); context.lineTo(px, axisHeight); context.stroke();
      context.fillText(String(Math.round(tick * 1000) / 1000), px + 2, axisHeight / 2);
    }
  }

  function opAt(px, py) {
    var lane = view.laneOffset + Math.floor((py - axisHeight) / laneHeight);
    if (py < axisHeight || lane < 0 || lane >= lanes.length) return -1;
    var time = timeAt(px), tolerance = view.width / canvas.clientWidth * 3, ids = lanes[lane];
    for (var index = firstVisible(lane, time - tolerance); index < ids.length; index++) {
      var op = ids[index];
      if (data.start[op] > time + tolerance) break;
      if (endOf(op) >= time - tolerance) return op;
    }
    return -1;
  }

  var drag = null;
  canvas.addEventListener('mousedown', function (event) { drag = { x: event.clientX, y: event.clientY, start: view.start, lane: view.laneOffset, moved: false }; });
  window.addEventListener('mouseup', function (event) {
    if (drag !== null && !drag.moved) {
      var box = canvas.getBoundingClientRect();
      var op = opAt(event.clientX - box.left, event.clientY - box.top);
      if (op >= 0) { selected = op; showDetails(op); draw(); }
    }
    drag = null;
  });
  window.addEventListener('mousemove', function (event) {
    if (drag === null) return;
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    view.start = drag.start - dx / (canvas.clientWidth - laneLabelWidth) * view.width;
    view.laneOffset = clampLane(drag.lane - Math.round(dy / laneHeight));
    draw();
  });
  canvas.addEventListener('wheel', function (event) {
    event.preventDefault();
    if (event.shiftKey) { view.laneOffset = clampLane(view.laneOffset + Math.sign(event.deltaY || event.deltaX) * 3); draw(); return; }
    var box = canvas.getBoundingClientRect();
    var pivot = timeAt(event.clientX - box.left);
    var factor = event.deltaY > 0 ? 1.25 : 0.8;
    view.width = Math.max(1e-6, view.width * factor);
    view.start = pivot - (pivot - view.start) * factor;
    draw();
  }, { passive: false });
  window.addEventListener('resize', draw);

  showHeader();
  showLadder();
  selectPartition(selectedPartition);
})();
`;
