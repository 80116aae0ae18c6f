// ARCP dashboard: one WebSocket session to /arcp of the serving host. No build step, no dependencies.
(() => {
  'use strict';

  const FEATURES = ['progress', 'list_jobs', 'subscribe', 'ack', 'heartbeat', 'cost.budget'];
  const TERMINAL = new Set(['success', 'error', 'cancelled', 'timed_out']);
  const MAX_EVENTS_PER_JOB = 500;
  const TOKEN_KEY = 'arcp.dashboard.token';
  const SESSION_KEY = 'arcp.dashboard.session';
  const store = window.sessionStorage;

  const state = {
    token: null,
    ws: null,
    open: false,
    stopped: true,
    resuming: false,
    sessionId: null,
    resumeToken: null,
    lastSeq: 0,
    ackedSeq: 0,
    features: [],
    agents: [],
    heartbeatSec: 0,
    lastInbound: 0,
    reconnectDelay: 500,
    reconnectTimer: 0,
    ackTimer: 0,
    watchdog: 0,
    nextId: 0,
    jobs: new Map(),
    own: new Set(),
    subscribed: new Set(),
    submits: new Set(),
    selected: null,
    renderQueued: false,
  };

  const $ = (id) => document.getElementById(id);
  const el = {
    signIn: $('sign-in'),
    signInForm: $('sign-in-form'),
    token: $('token'),
    signOut: $('sign-out'),
    workspace: $('workspace'),
    notice: $('notice'),
    dot: document.querySelector('[data-testid="connection-dot"]'),
    connection: document.querySelector('[data-testid="connection-status"]'),
    session: document.querySelector('[data-testid="session-id"]'),
    submitForm: $('submit-form'),
    agent: $('agent'),
    input: $('input'),
    budget: $('budget'),
    submitError: $('submit-error'),
    refresh: $('refresh'),
    jobsBody: $('jobs-body'),
    noJobs: $('no-jobs'),
    log: $('event-log'),
    logJob: $('log-job'),
    jobEmpty: $('job-empty'),
    jobDetail: $('job-detail'),
  };
  const rows = new Map();

  // ---- envelopes ---------------------------------------------------------------------------------------------

  function newId() {
    state.nextId += 1;
    return 'msg_d' + Date.now().toString(36) + state.nextId.toString(36) + Math.random().toString(36).slice(2, 8);
  }

  function now() {
    return new Date().toISOString();
  }

  function send(type, payload, extra) {
    const ws = state.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return null;
    }
    const envelope = { arcp: '1.1', id: newId(), type, timestamp: now(), payload: payload || {} };
    if (state.sessionId) {
      envelope.session_id = state.sessionId;
    }
    Object.assign(envelope, extra || {});
    ws.send(JSON.stringify(envelope));
    return envelope.id;
  }

  // ---- connection ---------------------------------------------------------------------------------------------

  function saveSession() {
    if (!state.sessionId || !state.resumeToken) {
      store.removeItem(SESSION_KEY);
      return;
    }
    store.setItem(SESSION_KEY, JSON.stringify({
      session_id: state.sessionId,
      resume_token: state.resumeToken,
      last_event_seq: state.lastSeq,
      own: [...state.own],
    }));
  }

  function loadSession() {
    try {
      const saved = JSON.parse(store.getItem(SESSION_KEY) || 'null');
      if (saved && saved.session_id && saved.resume_token) {
        state.sessionId = saved.session_id;
        state.resumeToken = saved.resume_token;
        state.lastSeq = Number(saved.last_event_seq) || 0;
        state.own = new Set(saved.own || []);
      }
    } catch {
      store.removeItem(SESSION_KEY);
    }
  }

  function forgetSession() {
    state.sessionId = null;
    state.resumeToken = null;
    state.lastSeq = 0;
    state.ackedSeq = 0;
    state.own = new Set();
    store.removeItem(SESSION_KEY);
  }

  function setConnection(status) {
    el.connection.textContent = status;
    el.dot.className = 'dot ' + ({ connected: 'connected', connecting: 'connecting', reconnecting: 'connecting' }[status] || 'disconnected');
    el.session.textContent = state.open && state.sessionId ? state.sessionId : '';
  }

  function connect() {
    clearTimeout(state.reconnectTimer);
    if (state.stopped) {
      return;
    }
    setConnection(state.sessionId ? 'reconnecting' : 'connecting');
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/arcp';
    let ws;
    try {
      ws = new WebSocket(url);
    } catch {
      scheduleReconnect();
      return;
    }
    state.ws = ws;
    ws.onopen = () => {
      state.lastInbound = Date.now();
      sendHello();
    };
    ws.onmessage = (e) => {
      if (state.ws === ws) {
        state.lastInbound = Date.now();
        onFrame(e.data);
      }
    };
    ws.onclose = () => {
      if (state.ws !== ws) {
        return;
      }
      state.ws = null;
      state.open = false;
      state.resuming = false;
      clearInterval(state.watchdog);
      if (state.stopped) {
        setConnection('signed out');
        return;
      }
      setConnection('disconnected');
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    clearTimeout(state.reconnectTimer);
    const delay = state.reconnectDelay;
    state.reconnectDelay = Math.min(delay * 2, 4000);
    state.reconnectTimer = setTimeout(connect, delay);
  }

  function sendHello() {
    const payload = {
      client: { name: 'arcp-dashboard', version: '1.0.0' },
      auth: { scheme: 'bearer', token: state.token },
      capabilities: { encodings: ['json'], features: FEATURES },
    };
    state.resuming = Boolean(state.sessionId && state.resumeToken);
    if (state.resuming) {
      payload.resume = { session_id: state.sessionId, resume_token: state.resumeToken, last_event_seq: state.lastSeq };
    }
    send('session.hello', payload);
  }

  function startWatchdog() {
    clearInterval(state.watchdog);
    if (!state.heartbeatSec) {
      return;
    }
    // Two missed heartbeats and a margin: the socket is half-open; drop it and resume on a new one.
    const limit = state.heartbeatSec * 2500 + 2000;
    state.watchdog = setInterval(() => {
      if (state.ws && Date.now() - state.lastInbound > limit) {
        state.ws.close();
      }
    }, 1000);
  }

  // ---- inbound ------------------------------------------------------------------------------------------------

  function onFrame(data) {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (!msg || typeof msg.type !== 'string') {
      return;
    }
    const payload = msg.payload || {};
    if (typeof msg.event_seq === 'number') {
      if (msg.event_seq <= state.lastSeq) {
        return;
      }
      state.lastSeq = msg.event_seq;
      saveSession();
      scheduleAck();
    }
    switch (msg.type) {
      case 'session.welcome': onWelcome(msg, payload); break;
      case 'session.error': onSessionError(payload); break;
      case 'session.ping': send('session.pong', { ping_nonce: payload.nonce, received_at: now() }); break;
      case 'session.jobs': onJobs(payload); break;
      case 'job.accepted': onAccepted(msg, payload); break;
      case 'job.subscribed': onSubscribed(msg, payload); break;
      case 'job.event': onEvent(msg, payload); break;
      case 'job.result': onTerminal(msg, 'success', payload); break;
      case 'job.error': onTerminal(msg, payload.final_status || 'error', payload); break;
      case 'job.cancelled': onCancelled(msg, payload); break;
      default: break;
    }
  }

  function onWelcome(msg, payload) {
    const resumed = state.resuming && msg.session_id === state.sessionId;
    if (!resumed) {
      state.lastSeq = 0;
      state.own = new Set();
    }
    state.ackedSeq = 0;
    state.subscribed = new Set();
    state.resuming = false;
    state.open = true;
    state.reconnectDelay = 500;
    state.sessionId = msg.session_id;
    state.resumeToken = payload.resume_token;
    const capabilities = payload.capabilities || {};
    state.features = capabilities.features || [];
    state.agents = capabilities.agents || [];
    state.heartbeatSec = Number(payload.heartbeat_interval_sec) || 0;
    el.connection.dataset.resumed = String(resumed);
    saveSession();
    renderAgents();
    setConnection('connected');
    hideNotice();
    startWatchdog();
    listJobs(null);
  }

  function onSessionError(payload) {
    const code = payload.code || 'ERROR';
    const text = code + ': ' + (payload.message || '');
    if (!state.open) {
      if (code === 'UNAUTHENTICATED') {
        signOut('Sign-in refused (' + text + ').');
        return;
      }
      if (state.resuming) {
        // The old session cannot be resumed: open a new one; the job list is read again after its welcome.
        state.resuming = false;
        forgetSession();
        if (state.ws && state.ws.readyState === WebSocket.OPEN) {
          sendHello();
        }
        return;
      }
      showNotice(text);
      return;
    }
    if (payload.reply_to && state.submits.has(payload.reply_to)) {
      state.submits.delete(payload.reply_to);
      showSubmitError(text);
      return;
    }
    showNotice(text);
  }

  function listJobs(cursor) {
    const payload = { limit: 100 };
    if (cursor) {
      payload.cursor = cursor;
    }
    send('session.list_jobs', payload);
  }

  function onJobs(payload) {
    for (const entry of payload.jobs || []) {
      const job = upsertJob(entry.job_id);
      job.agent = entry.agent || job.agent;
      job.createdAt = entry.created_at || job.createdAt;
      job.traceId = entry.trace_id || job.traceId;
      if (!TERMINAL.has(job.status)) {
        job.status = entry.status || job.status;
      }
      job.listed = true;
    }
    if (payload.next_cursor) {
      listJobs(payload.next_cursor);
      return;
    }
    // Jobs of another (earlier) session still running: follow them, with their history for the log.
    if (state.features.includes('subscribe')) {
      for (const job of state.jobs.values()) {
        if (!TERMINAL.has(job.status) && !state.own.has(job.id) && !state.subscribed.has(job.id)) {
          state.subscribed.add(job.id);
          resetHistory(job);
          send('job.subscribe', { job_id: job.id, history: true });
        }
      }
    }
    queueRender();
  }

  function upsertJob(id) {
    let job = state.jobs.get(id);
    if (!job) {
      job = { id, agent: '', status: 'pending', createdAt: '', traceId: '', progress: null, budget: null, events: [], recorded: 0, generation: 0, error: '', cancelRequested: false, startedAt: '', endedAt: '', outcome: undefined, samples: [] };
      state.jobs.set(id, job);
    }
    return job;
  }

  function onAccepted(msg, payload) {
    const id = payload.job_id || msg.job_id;
    if (!id) {
      return;
    }
    const job = upsertJob(id);
    job.agent = payload.agent || job.agent;
    job.createdAt = payload.accepted_at || job.createdAt || now();
    job.traceId = payload.trace_id || msg.trace_id || job.traceId;
    if (payload.budget && !job.budget) {
      job.budget = { ...payload.budget };
    }
    state.own.add(id);
    saveSession();
    if (payload.reply_to && state.submits.delete(payload.reply_to)) {
      state.selected = id;
    }
    queueRender();
  }

  // A job this page has no events of (finished, or from an earlier session): read its history for the job view.
  function loadHistory(job) {
    if (job.recorded > 0 || state.own.has(job.id) || state.subscribed.has(job.id) || !state.open || !state.features.includes('subscribe')) {
      return;
    }
    state.subscribed.add(job.id);
    resetHistory(job);
    send('job.subscribe', { job_id: job.id, history: true });
  }

  function resetHistory(job) {
    job.events = [];
    job.samples = [];
    job.recorded = 0;
    job.startedAt = '';
    job.generation += 1;
  }

  function onSubscribed(msg, payload) {
    const job = upsertJob(payload.job_id || msg.job_id);
    job.agent = payload.agent || job.agent;
    if (!TERMINAL.has(job.status) && payload.current_status) {
      job.status = payload.current_status;
    }
    if (payload.budget) {
      job.budget = { ...payload.budget };
    }
    queueRender();
  }

  function record(job, msg, kind, body) {
    job.recorded += 1;
    const ts = (msg.payload && msg.payload.ts) || msg.timestamp;
    // The wire has no "started" event: the job's first event is the earliest sign that its agent runs.
    if (ts && !job.startedAt) {
      job.startedAt = ts;
    }
    job.events.push({ seq: msg.event_seq, type: msg.type, kind, body, ts });
    if (job.events.length > MAX_EVENTS_PER_JOB) {
      job.events.splice(0, job.events.length - MAX_EVENTS_PER_JOB);
    }
  }

  function onEvent(msg, payload) {
    if (!msg.job_id) {
      return;
    }
    const job = upsertJob(msg.job_id);
    const body = payload.body || {};
    if (job.status === 'pending') {
      job.status = 'running';
    }
    if (payload.kind === 'progress' && typeof body.current === 'number') {
      job.progress = { current: body.current, total: typeof body.total === 'number' ? body.total : null };
      job.samples.push({ ts: payload.ts || msg.timestamp, current: body.current, total: job.progress.total, message: body.message || '' });
    } else if (payload.kind === 'metric' && body.name === 'cost.budget.remaining' && body.unit) {
      job.budget = job.budget || {};
      job.budget[body.unit] = body.value;
    }
    record(job, msg, payload.kind, body);
    queueRender();
  }

  function onTerminal(msg, status, payload) {
    if (!msg.job_id) {
      return;
    }
    const job = upsertJob(msg.job_id);
    job.status = status;
    if (status === 'success' && job.progress && job.progress.total) {
      job.progress.current = job.progress.total;
    }
    job.error = status === 'success' ? '' : (payload.code || '') + (payload.message ? ': ' + payload.message : '');
    job.endedAt = msg.timestamp || job.endedAt;
    job.outcome = status === 'success' ? payload.result : { code: payload.code, message: payload.message, details: payload.details };
    record(job, msg, status === 'success' ? 'result' : payload.code, status === 'success' ? payload.result : { message: payload.message });
    queueRender();
  }

  function onCancelled(msg, payload) {
    const job = upsertJob(payload.job_id || msg.job_id);
    job.cancelRequested = true;
    queueRender();
  }

  function scheduleAck() {
    if (state.ackTimer || !state.features.includes('ack')) {
      return;
    }
    state.ackTimer = setTimeout(() => {
      state.ackTimer = 0;
      if (state.open && state.lastSeq > state.ackedSeq) {
        state.ackedSeq = state.lastSeq;
        send('session.ack', { last_processed_seq: state.lastSeq });
      }
    }, 250);
  }

  // ---- rendering ------------------------------------------------------------------------------------------------

  function renderAgents() {
    const current = el.agent.value;
    el.agent.replaceChildren();
    for (const agent of state.agents) {
      const option = document.createElement('option');
      option.value = agent.name;
      const version = agent.default || (agent.versions && agent.versions[0]);
      option.textContent = version ? agent.name + ' (' + version + ')' : agent.name;
      el.agent.append(option);
    }
    const preferred = state.agents.some((a) => a.name === current) ? current : (state.agents.some((a) => a.name === 'countdown') ? 'countdown' : '');
    if (preferred) {
      el.agent.value = preferred;
    }
  }

  function queueRender() {
    if (state.renderQueued) {
      return;
    }
    state.renderQueued = true;
    requestAnimationFrame(() => {
      state.renderQueued = false;
      render();
    });
  }

  function percent(job) {
    if (job.progress && job.progress.total) {
      return Math.round((100 * job.progress.current) / job.progress.total);
    }
    return job.status === 'success' ? 100 : null;
  }

  function makeRow(job) {
    const tr = document.createElement('tr');
    tr.dataset.testid = 'job-row';
    tr.dataset.jobId = job.id;
    tr.tabIndex = 0;
    tr.innerHTML =
      '<td><span class="job-id" data-testid="job-id"></span></td>' +
      '<td data-testid="job-agent"></td>' +
      '<td><span class="status" data-testid="job-status"></span><div class="muted" data-testid="job-error"></div></td>' +
      '<td><div class="progress"><progress max="100" value="0" data-testid="job-progress"></progress>' +
      '<span class="progress-text" data-testid="job-progress-text"></span></div></td>' +
      '<td data-testid="job-budget"></td>' +
      '<td><button type="button" class="danger" data-testid="cancel-job">Cancel</button></td>';
    tr.querySelector('[data-testid="job-id"]').textContent = job.id;
    tr.querySelector('[data-testid="job-progress"]').setAttribute('aria-label', 'Progress of ' + job.id);
    const cancel = tr.querySelector('[data-testid="cancel-job"]');
    cancel.setAttribute('aria-label', 'Cancel ' + job.id);
    cancel.addEventListener('click', (e) => {
      e.stopPropagation();
      cancelJob(job.id);
    });
    const select = () => {
      state.selected = job.id;
      loadHistory(job);
      queueRender();
    };
    tr.addEventListener('click', select);
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        select();
      }
    });
    return tr;
  }

  function updateRow(tr, job) {
    const set = (testid, text) => {
      const node = tr.querySelector('[data-testid="' + testid + '"]');
      if (node.textContent !== text) {
        node.textContent = text;
      }
    };
    set('job-agent', job.agent);
    const status = tr.querySelector('[data-testid="job-status"]');
    const statusText = job.cancelRequested && !TERMINAL.has(job.status) ? 'cancelling' : job.status;
    status.textContent = statusText;
    status.className = 'status status-' + job.status;
    tr.dataset.status = job.status;
    set('job-error', job.error || '');
    const pct = percent(job);
    const bar = tr.querySelector('[data-testid="job-progress"]');
    bar.value = pct === null ? 0 : pct;
    bar.dataset.percent = pct === null ? '' : String(pct);
    const detail = job.progress ? job.progress.current + (job.progress.total ? '/' + job.progress.total : '') : '';
    const text = pct === null ? (detail || '—') : pct + '%' + (detail ? ' (' + detail + ')' : '');
    bar.setAttribute('aria-valuetext', text);
    set('job-progress-text', text);
    set('job-budget', job.budget ? Object.entries(job.budget).map(([unit, value]) => unit + ' ' + formatAmount(value)).join(', ') : '—');
    const cancel = tr.querySelector('[data-testid="cancel-job"]');
    const canCancel = !TERMINAL.has(job.status) && !job.cancelRequested && state.own.has(job.id) && state.open;
    cancel.disabled = !canCancel;
    cancel.hidden = TERMINAL.has(job.status);
    cancel.title = state.own.has(job.id) ? '' : 'Only the session that submitted the job can cancel it.';
    tr.classList.toggle('selected', state.selected === job.id);
    tr.setAttribute('aria-selected', String(state.selected === job.id));
  }

  function formatAmount(value) {
    return typeof value === 'number' ? (Math.round(value * 10000) / 10000).toString() : String(value);
  }

  function render() {
    const jobs = [...state.jobs.values()].sort((a, b) => (b.createdAt || '').localeCompare(a.createdAt || '') || b.id.localeCompare(a.id));
    jobs.forEach((job, i) => {
      let tr = rows.get(job.id);
      if (!tr) {
        tr = makeRow(job);
        rows.set(job.id, tr);
      }
      updateRow(tr, job);
      if (el.jobsBody.children[i] !== tr) {
        el.jobsBody.insertBefore(tr, el.jobsBody.children[i] || null);
      }
    });
    el.noJobs.hidden = jobs.length > 0;
    renderDetail();
    renderLog();
  }

  // ---- job view -------------------------------------------------------------------------------------------------

  function millis(ts) {
    const value = ts ? Date.parse(ts) : NaN;
    return Number.isNaN(value) ? null : value;
  }

  function formatDuration(ms) {
    if (ms === null || ms < 0) {
      return '—';
    }
    if (ms < 1000) {
      return ms + ' ms';
    }
    if (ms < 60000) {
      return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
    }
    const minutes = Math.floor(ms / 60000);
    const seconds = Math.round((ms % 60000) / 1000);
    return minutes < 60 ? minutes + ' min ' + seconds + ' s' : Math.floor(minutes / 60) + ' h ' + (minutes % 60) + ' min';
  }

  function setTime(testid, ts) {
    const node = el.jobDetail.querySelector('[data-testid="' + testid + '"]');
    const text = ts ? new Date(ts).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) + '.' + String(new Date(ts).getMilliseconds()).padStart(3, '0') : '—';
    if (node.textContent !== text) {
      node.textContent = text;
    }
    if (ts) {
      node.setAttribute('datetime', ts);
    } else {
      node.removeAttribute('datetime');
    }
  }

  function setSpan(testid, ms) {
    const node = el.jobDetail.querySelector('[data-testid="' + testid + '"]');
    node.textContent = formatDuration(ms);
    node.dataset.ms = ms === null || ms < 0 ? '' : String(ms);
  }

  function renderDetail() {
    const job = state.selected ? state.jobs.get(state.selected) : null;
    el.jobEmpty.hidden = Boolean(job);
    el.jobDetail.hidden = !job;
    if (!job) {
      return;
    }
    const q = (testid) => el.jobDetail.querySelector('[data-testid="' + testid + '"]');
    el.jobDetail.dataset.jobId = job.id;
    const status = q('detail-status');
    status.textContent = job.cancelRequested && !TERMINAL.has(job.status) ? 'cancelling' : job.status;
    status.className = 'status status-' + job.status;
    q('detail-agent').textContent = job.agent || '—';
    q('detail-trace').textContent = job.traceId || '—';
    setTime('detail-queued', job.createdAt);
    setTime('detail-started', job.startedAt);
    setTime('detail-ended', job.endedAt);
    const queued = millis(job.createdAt);
    const started = millis(job.startedAt);
    const ended = millis(job.endedAt);
    // A running job's duration grows with the clock; it is redrawn with each of its events.
    const end = ended !== null ? ended : (TERMINAL.has(job.status) ? null : Date.now());
    setSpan('detail-duration', queued !== null && end !== null ? end - queued : null);
    setSpan('detail-waited', queued !== null && started !== null ? started - queued : null);

    const outcome = q('detail-outcome');
    const title = q('detail-outcome-title');
    if (job.outcome === undefined) {
      title.textContent = TERMINAL.has(job.status) ? 'Outcome' : 'Result';
      outcome.textContent = TERMINAL.has(job.status) ? (job.error || 'Not loaded.') : 'Not finished yet.';
      outcome.className = 'outcome';
    } else {
      const failed = job.status !== 'success';
      title.textContent = failed ? 'Error' : 'Result';
      outcome.textContent = JSON.stringify(job.outcome, null, 2);
      outcome.className = failed ? 'outcome failed' : 'outcome';
    }
    outcome.dataset.status = job.status;
    renderChart(job, queued);
  }

  function renderChart(job, queued) {
    const samples = job.samples;
    const chart = el.jobDetail.querySelector('[data-testid="progress-chart"]');
    const none = el.jobDetail.querySelector('[data-testid="progress-none"]');
    const body = el.jobDetail.querySelector('[data-testid="progress-table"] tbody');
    const key = job.id + '#' + job.generation + '#' + samples.length + '#' + job.endedAt;
    if (chart.dataset.key === key) {
      return;
    }
    chart.dataset.key = key;
    chart.dataset.points = String(samples.length);
    // An <svg> has no hidden property: set the attribute.
    chart.toggleAttribute('hidden', samples.length === 0);
    none.hidden = samples.length > 0;
    const origin = queued !== null ? queued : (samples.length ? millis(samples[0].ts) : 0);
    const times = samples.map((p) => Math.max(0, (millis(p.ts) || origin) - origin));
    const ended = millis(job.endedAt);
    // Left edge: queued; right edge: ended (or the latest sample while the job runs).
    const span = Math.max(1, ended !== null ? ended - origin : 0, ...times);
    // Against the total when there is one, else against the largest value seen.
    const top = Math.max(1, ...samples.map((p) => p.total || p.current));
    const y = (value) => (119 - (115 * Math.min(value, top)) / top).toFixed(1);
    // A step line: each value holds until the next sample, the last one until the right edge.
    const points = ['0,' + y(0)];
    samples.forEach((p, i) => {
      const x = ((600 * times[i]) / span).toFixed(1);
      points.push(x + ',' + y(i === 0 ? 0 : samples[i - 1].current), x + ',' + y(p.current));
    });
    if (samples.length) {
      points.push('600,' + y(samples[samples.length - 1].current));
    }
    chart.querySelector('[data-testid="progress-line"]').setAttribute('points', points.join(' '));
    chart.querySelector('title').textContent = 'Progress from 0 to ' + top + ' over ' + formatDuration(span) + ' since queued';
    el.jobDetail.querySelector('[data-testid="progress-caption"]').textContent = samples.length
      ? 'Left: queued. Right: +' + formatDuration(span) + '. Top: ' + top + '.'
      : '';
    body.replaceChildren(...samples.map((p, i) => {
      const tr = document.createElement('tr');
      tr.dataset.testid = 'progress-sample';
      for (const text of ['+' + formatDuration(times[i]), p.current + (p.total ? '/' + p.total : ''), p.message]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }));
  }

  function renderLog() {
    const job = state.selected ? state.jobs.get(state.selected) : null;
    const id = job ? job.id : '';
    const key = job ? job.id + '#' + job.generation : '';
    const recorded = job ? job.recorded : 0;
    let shown = Number(el.log.dataset.recorded || 0);
    if (el.log.dataset.key !== key || recorded < shown) {
      el.log.replaceChildren();
      el.log.dataset.key = key;
      el.log.dataset.jobId = id;
      el.logJob.textContent = id ? '(' + id + ')' : '';
      shown = 0;
    }
    if (!job) {
      el.log.dataset.recorded = '0';
      return;
    }
    let missing = recorded - shown;
    if (el.log.childElementCount + missing > MAX_EVENTS_PER_JOB) {
      el.log.replaceChildren();
      missing = job.events.length;
    }
    for (const e of job.events.slice(job.events.length - Math.min(missing, job.events.length))) {
      const li = document.createElement('li');
      li.dataset.testid = 'event';
      li.dataset.kind = e.kind || '';
      if (e.seq) {
        li.value = e.seq;
      }
      li.textContent = '[' + (e.kind || e.type) + '] ' + (e.body === undefined ? '' : JSON.stringify(e.body));
      el.log.append(li);
    }
    el.log.dataset.recorded = String(recorded);
  }

  function showNotice(text) {
    el.notice.textContent = text;
    el.notice.hidden = false;
  }

  function hideNotice() {
    el.notice.hidden = true;
    el.notice.textContent = '';
  }

  function showSubmitError(text) {
    el.submitError.textContent = text;
    el.submitError.hidden = !text;
  }

  // ---- actions ------------------------------------------------------------------------------------------------

  function submitJob(event) {
    event.preventDefault();
    showSubmitError('');
    const agent = el.agent.value;
    if (!agent) {
      showSubmitError('Choose an agent.');
      return;
    }
    const payload = { agent };
    const text = el.input.value.trim();
    if (text) {
      try {
        payload.input = JSON.parse(text);
      } catch (e) {
        showSubmitError('The input is not valid JSON: ' + e.message);
        el.input.focus();
        return;
      }
    }
    const budget = el.budget.value.trim();
    if (budget) {
      payload.lease_request = { 'cost.budget': budget.split(/[,\s]+/).filter(Boolean) };
    }
    const id = state.open ? send('job.submit', payload) : null;
    if (!id) {
      showSubmitError('Not connected; try again in a moment.');
      return;
    }
    state.submits.add(id);
  }

  function cancelJob(jobId) {
    const job = state.jobs.get(jobId);
    if (!job || !state.open) {
      return;
    }
    if (send('job.cancel', { job_id: jobId, reason: 'cancelled from the dashboard' }, { job_id: jobId })) {
      job.cancelRequested = true;
      queueRender();
    }
  }

  function signIn(token) {
    state.token = token;
    state.stopped = false;
    store.setItem(TOKEN_KEY, token);
    el.signIn.hidden = true;
    el.workspace.hidden = false;
    el.signOut.hidden = false;
    connect();
  }

  function signOut(message) {
    state.stopped = true;
    clearTimeout(state.reconnectTimer);
    clearInterval(state.watchdog);
    if (state.ws) {
      if (state.open) {
        send('session.bye', { reason: 'signed out' });
      }
      state.ws.close();
      state.ws = null;
    }
    state.open = false;
    state.token = null;
    store.removeItem(TOKEN_KEY);
    forgetSession();
    state.jobs.clear();
    rows.clear();
    el.jobsBody.replaceChildren();
    el.log.replaceChildren();
    state.selected = null;
    el.workspace.hidden = true;
    el.signOut.hidden = true;
    el.signIn.hidden = false;
    setConnection('signed out');
    let error = el.signIn.querySelector('[data-testid="sign-in-error"]');
    if (!error) {
      error = document.createElement('p');
      error.className = 'error';
      error.setAttribute('role', 'alert');
      error.dataset.testid = 'sign-in-error';
      el.signIn.append(error);
    }
    error.textContent = message || '';
    el.token.focus();
  }

  el.signInForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const token = el.token.value.trim();
    if (token) {
      el.token.value = '';
      signIn(token);
    }
  });
  el.signOut.addEventListener('click', () => signOut(''));
  el.submitForm.addEventListener('submit', submitJob);
  el.refresh.addEventListener('click', () => listJobs(null));

  // The run command prints the dashboard address with its development token in the fragment, which never reaches the
  // server; it is taken once and removed from the address bar and history.
  const linked = new URLSearchParams(location.hash.slice(1)).get('token');
  if (linked) {
    history.replaceState(null, '', location.pathname + location.search);
    if (store.getItem(TOKEN_KEY) !== linked) {
      store.removeItem(SESSION_KEY);
    }
    store.setItem(TOKEN_KEY, linked);
  }
  const saved = store.getItem(TOKEN_KEY);
  if (saved) {
    loadSession();
    signIn(saved);
  }
})();
