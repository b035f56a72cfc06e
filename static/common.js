// Shared by the pages: the room connection (with reconnect), the game model
// the host and projector keep in step with the server, and DOM helpers.
//
// User text (names, clues, answers) only ever reaches the page through
// textContent, never innerHTML.

import { t } from './i18n.js';

export const $ = (id) => document.getElementById(id);

// Builds an element; string children become text nodes, never HTML.
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else if (value !== false && value != null) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child == null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function showConnection(state) {
  const badge = $('connection');
  if (!badge) return;
  badge.dataset.state = state;
  badge.textContent = t(`connection.${state}`);
}

// Covers the page with the reason its game room closed.
function showClosed(reason) {
  const notice = el('div', { class: 'closed-notice', role: 'alert' },
    el('h2', {}, t('connection.closed_title')),
    el('p', {}, reason));
  document.body.append(notice);
}

// Opens the room's WebSocket and keeps it open: after a drop it reconnects
// with growing, jittered delays (so a whole class does not reconnect in the
// same instant) and the server sends a fresh snapshot.
// `query` is a function returning the query parameters, read at each attempt.
export function connect(query, onMessage) {
  const code = document.body.dataset.code;
  let socket = null;
  let attempt = 0;
  let closedForGood = false;
  // The server probes every page every 2 s; a page that hears nothing for
  // longer than this has lost its connection, even if the browser has not
  // noticed (a phone that silently lost its network).
  const SILENCE_MS = 6000;
  let lastHeard = Date.now();
  // A connection attempt the network swallowed (no answer, no refusal)
  // is given up after this long, and tried again.
  const CONNECT_MS = 8000;
  let startedAt = Date.now();
  // Set when the page wants a fresh connection at once (it was woken).
  let reconnectNow = false;
  setInterval(() => {
    if (closedForGood || !socket) return;
    const stuck = socket.readyState === WebSocket.CONNECTING && Date.now() - startedAt > CONNECT_MS;
    const silent = socket.readyState === WebSocket.OPEN && Date.now() - lastHeard > SILENCE_MS;
    if (stuck || silent) {
      showConnection('reconnecting');
      socket.close();
    }
  }, 1000);
  function open() {
    showConnection(attempt === 0 ? 'connecting' : 'reconnecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    // Only the role goes in the address: a player's seat token goes in
    // its first message, the host is known by the session cookie.
    const { role, token } = query();
    const params = new URLSearchParams({ role });
    socket = new WebSocket(`${scheme}://${location.host}/ws/${encodeURIComponent(code)}?${params}`);
    startedAt = Date.now();
    socket.addEventListener('open', () => {
      if (role === 'player') socket.send(JSON.stringify(token ? { type: 'hello', token } : { type: 'hello' }));
      attempt = 0;
      lastHeard = Date.now();
      showConnection('online');
    });
    socket.addEventListener('message', (event) => {
      lastHeard = Date.now();
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch {
        return;
      }
      // Answer round-trip pings at once: the server uses them to be fair
      // to players on slow networks.
      if (msg.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong', id: msg.id }));
        return;
      }
      // The room is gone: say why, and do not come back.
      if (msg.type === 'room_closed') {
        closedForGood = true;
        showConnection('closed');
        showClosed(msg.reason);
      }
      // What happened together arrives together; apply it in order.
      if (msg.type === 'batch') {
        msg.messages.forEach(onMessage);
        return;
      }
      onMessage(msg);
    });
    socket.addEventListener('close', (event) => {
      if (closedForGood) return;
      // The teacher gave the game a new host key: this co-host page is out.
      if (event.code === 4003) {
        closedForGood = true;
        showConnection('closed');
        showClosed(t('host.key_replaced'));
        return;
      }
      attempt += 1;
      showConnection('reconnecting');
      const delay = reconnectNow ? 0 : Math.min(10000, 300 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
      reconnectNow = false;
      setTimeout(open, delay);
    });
  }
  // When the device says its network is back, try at once.
  window.addEventListener('online', () => {
    if (!closedForGood && socket && socket.readyState !== WebSocket.OPEN) socket.close();
  });
  // A phone that slept or switched apps is brought up to date the moment it
  // is looked at again: a fresh connection (and so a fresh snapshot) at
  // once, without waiting for the silence watchdog.
  let hiddenAt = null;
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') {
      hiddenAt = Date.now();
      return;
    }
    const away = hiddenAt === null ? 0 : Date.now() - hiddenAt;
    hiddenAt = null;
    // A sleeping phone's connection may look open and yet have missed
    // updates (or be dead without knowing it): start afresh.
    if (closedForGood || !socket || away < 1000) return;
    attempt = 0;
    reconnectNow = true;
    socket.close();
  });
  open();
  return {
    // Starts again on a fresh connection (say, as a guest once a seat is gone).
    restart() {
      if (socket) socket.close();
    },
    send(msg) {
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify(msg));
        return true;
      }
      return false;
    },
  };
}

// The game as a page knows it, updated message by message: the one reducer
// of the server's updates, shared by the host, the projector and the phone
// (which only draw it). Each page sees what the server sends its role; the
// phone's own seat is `you`.
export class GameModel {
  constructor() {
    this.board = null;
    this.players = new Map();
    this.clue = null;
    this.cleared = false;
    this.code = '';
    this.joinUrl = '';
    this.settings = { mode: 'compensated', early_lockout_ms: 250 };
    this.audit = [];
    this.flags = new Map(); // player id -> the evidence a bot check found
    this.playerCap = null; // how many players the room takes
    this.locked = false; // whether new players are kept out
    this.approval = false; // whether new players wait for the host
    this.joinRequests = new Map(); // request number -> { name, held }, waiting for the host
    this.picker = null;
    this.final = null;
    this.teams = new Map();
    this.teamsLocked = false; // players may no longer pick their team
    this.standingsAtEnd = null;
    this.lastJudgement = null; // { player, name, correct, delta, score } of the open clue
    this.you = null; // phone: my seat { id, name, score, team }
    this.dailyDouble = null; // { player, name, min, max } while it is wagered
    this.standingsBetween = null; // phone: { leaders, counts } between clues
    this.phoneSounds = false;
    this.scoresHidden = false; // the host hid the scores from the projector and phones
    this.language = 'en';
    this.limits = null; // host: the bounds of its settings, from the server
  }

  apply(msg) {
    const clue = this.clue;
    switch (msg.type) {
      case 'snapshot':
        this.board = msg.board;
        this.players = new Map(msg.players.map((p) => [p.id, { ...p, awaySince: p.online === false ? Date.now() : null }]));
        this.clue = msg.clue;
        this.cleared = msg.cleared;
        this.code = msg.code;
        this.joinUrl = msg.join_url;
        this.settings = msg.buzz_settings;
        this.audit = msg.audit;
        this.flags = new Map((msg.flags || []).map((f) => [f.player, f]));
        this.playerCap = msg.player_cap;
        this.locked = Boolean(msg.locked);
        this.approval = Boolean(msg.approval);
        this.joinRequests = new Map((msg.join_requests || []).map((r) => [r.request, r]));
        this.picker = msg.picker;
        this.final = msg.final_round;
        this.teams = new Map((msg.teams || []).map((t) => [t.id, { ...t }]));
        this.teamsLocked = Boolean(msg.teams_locked);
        this.you = msg.you ? { ...msg.you, team: msg.you.team ?? null } : null;
        this.standingsBetween = msg.standings || null;
        this.standingsAtEnd = msg.final_standings || null;
        this.phoneSounds = Boolean(msg.phone_sounds);
        this.scoresHidden = Boolean(msg.scores_hidden);
        this.limits = msg.limits || this.limits || null;
        this.language = msg.language || 'en';
        this.lastJudgement = null;
        this.dailyDouble = msg.clue && msg.clue.buzzers === 'wagering' && msg.clue.answering
          ? { player: msg.clue.answering.id, name: msg.clue.answering.name, min: null, max: null }
          : null;
        break;
      case 'welcome':
        this.you = { id: msg.player, name: msg.name, score: msg.score, team: null };
        if (msg.standings) this.standingsBetween = msg.standings;
        break;
      case 'standings': {
        const { type, ...standings } = msg;
        this.standingsBetween = standings;
        break;
      }
      case 'phone_sounds':
        this.phoneSounds = msg.on;
        break;
      case 'scores_hidden':
        this.scoresHidden = msg.on;
        break;
      case 'language':
        this.language = msg.language;
        break;
      case 'teams_locked':
        this.teamsLocked = msg.locked;
        break;
      case 'team_created':
        this.teams.set(msg.team, { id: msg.team, name: msg.name, score: 0, no_phone: Boolean(msg.no_phone) });
        break;
      case 'team_changed': {
        const player = this.players.get(msg.player);
        if (player) player.team = msg.team;
        if (this.you && this.you.id === msg.player) this.you.team = msg.team;
        break;
      }
      case 'team_score': {
        const team = this.teams.get(msg.team);
        if (team) team.score = msg.score;
        break;
      }
      case 'player_joined':
        this.players.set(msg.player, { id: msg.player, name: msg.name, score: msg.score, online: !msg.no_phone, no_phone: Boolean(msg.no_phone), awaySince: null });
        break;
      case 'clue_opened':
        this.clue = msg.clue;
        // Teams are fixed once the game begins.
        this.teamsLocked = true;
        this.lastJudgement = null;
        this.audit = [];
        break;
      case 'buzzers_opened':
        if (clue) Object.assign(clue, { buzzers: 'open', answering: null, buzz_order: [] });
        break;
      case 'buzzed':
        if (clue) clue.buzz_order.push({ id: msg.player, name: msg.name });
        break;
      case 'answering':
        if (clue) Object.assign(clue, { buzzers: 'answering', answering: { id: msg.player, name: msg.name } });
        break;
      case 'judged': {
        this.setScore(msg.player, msg.score);
        // What the room should see: who, right or wrong, the points. (A
        // phone knows names only of who is answering.)
        const judged = this.players.get(msg.player);
        const answering = clue && clue.answering && clue.answering.id === msg.player ? clue.answering.name : '';
        this.lastJudgement = { player: msg.player, name: judged ? judged.name : answering, correct: msg.correct, delta: msg.delta, score: msg.score };
        if (clue) {
          clue.answering = null;
          if (!msg.correct) {
            clue.tried.push(msg.player);
            // A wrong answer locks the whole team out of this clue.
            if (msg.team != null) (clue.tried_teams ||= []).push(msg.team);
          }
        }
        break;
      }
      case 'buzzers_closed':
        if (clue) Object.assign(clue, { buzzers: 'closed', answering: null });
        break;
      case 'answer_revealed':
        if (clue) Object.assign(clue, { answer: msg.answer, revealed: true });
        break;
      case 'clue_closed':
        this.board.categories[msg.category].tiles[msg.row].played = true;
        this.clue = null;
        this.dailyDouble = null;
        this.lastJudgement = null;
        if (msg.standings) this.standingsBetween = msg.standings;
        break;
      case 'board_cleared':
        if (this.board.round + 1 >= this.board.rounds && !this.board.has_final) this.cleared = true;
        break;
      case 'round_started':
        this.board = msg.board;
        break;
      case 'score_adjusted':
        this.setScore(msg.player, msg.score);
        break;
      case 'player_removed':
        this.players.delete(msg.player);
        if (this.you && this.you.id === msg.player) this.you = null;
        break;
      case 'timer':
        if (clue) clue.timer = [msg.kind, msg.ms_left];
        break;
      case 'time_up':
        if (clue) clue.timer = null;
        break;
      case 'picker_changed':
        this.picker = { id: msg.player, name: msg.name };
        break;
      case 'daily_double':
        this.dailyDouble = { player: msg.player, name: msg.name, min: msg.min, max: msg.max };
        if (clue) Object.assign(clue, { daily_double: true, buzzers: 'wagering', answering: { id: msg.player, name: msg.name } });
        break;
      case 'wagered':
        this.dailyDouble = null;
        // The projector gets the clue itself once the wager is in.
        if (msg.clue) this.clue = msg.clue;
        if (this.clue) Object.assign(this.clue, { wager: msg.amount, buzzers: 'answering' });
        break;
      case 'final': {
        const { type, ...view } = msg;
        this.final = view;
        break;
      }
      case 'final_player': {
        const { type, ...entry } = msg;
        if (this.final) {
          const index = this.final.players.findIndex((p) => p.id === entry.id);
          // What a page was told privately (its own wager) stays known.
          if (index >= 0) this.final.players[index] = { ...this.final.players[index], ...entry };
        }
        break;
      }
      case 'final_judged': {
        this.setScore(msg.player, msg.score);
        const entry = this.final && this.final.players.find((p) => p.id === (msg.seat ?? msg.player));
        if (entry) Object.assign(entry, { correct: msg.correct, delta: msg.delta });
        break;
      }
      case 'game_over': {
        const { type, ...standings } = msg;
        this.standingsAtEnd = standings;
        this.cleared = true;
        if (this.final) this.final.stage = 'over';
        break;
      }
      case 'presence': {
        const player = this.players.get(msg.player);
        if (player) Object.assign(player, { online: msg.online, awaySince: msg.online ? null : Date.now() });
        break;
      }
      case 'buzz_audit':
        this.audit.push(msg.entry);
        break;
      case 'buzz_settings':
        this.settings = { mode: msg.mode, early_lockout_ms: msg.early_lockout_ms };
        break;
      case 'extra_time': {
        const player = this.players.get(msg.player);
        if (player) player.extra_ms = msg.ms;
        break;
      }
      case 'answer_time': {
        const player = this.players.get(msg.player);
        if (player) player.answer_time = msg.time;
        break;
      }
      case 'player_cap':
        this.playerCap = msg.max;
        break;
      case 'room_locked':
        this.locked = msg.locked;
        break;
      case 'approval':
        this.approval = msg.on;
        break;
      case 'join_request': {
        const { type, ...request } = msg;
        this.joinRequests.set(msg.request, request);
        break;
      }
      case 'join_answered':
        this.joinRequests.delete(msg.request);
        break;
      case 'flagged':
        this.flags.set(msg.player, msg);
        break;
      default:
        return false;
    }
    return true;
  }

  setScore(id, score) {
    const player = this.players.get(id);
    if (player) player.score = score;
    if (this.you && this.you.id === id) this.you.score = score;
  }

  // Phone: whether I (or my team) already answered the open clue wrong.
  triedThisClue() {
    const { clue, you } = this;
    if (!clue || !you) return false;
    return clue.tried.includes(you.id) || (you.team != null && (clue.tried_teams || []).includes(you.team));
  }

  // Teams by score, highest first.
  teamStandings() {
    return [...this.teams.values()].sort((a, b) => b.score - a.score || a.id - b.id);
  }

  // Players by score, highest first; ties keep joining order.
  standings() {
    return [...this.players.values()].sort((a, b) => b.score - a.score || a.id - b.id);
  }

  // Phone: my side's place and how many sides there are, as the server's
  // standings give them (my team's in a team game): `{ rank, count, score }`.
  myPlace(standings) {
    const { you } = this;
    if (!standings || !you) return null;
    if (you.team != null && standings.teams && standings.teams.length) {
      const team = standings.teams.find((each) => each.id === you.team);
      return team ? { rank: team.rank, count: standings.teams.length, score: team.score, team: team.name } : null;
    }
    const count = standings.counts.reduce((sum, [, n]) => sum + n, 0);
    return count ? { rank: placeOf(standings.counts, you.score), count, score: you.score } : null;
  }
}

// One rule for places everywhere (the server's too): equal scores share a
// place, and the next counts everyone above it ("1, 2, 2, 4"). `counts` are
// `[score, players]` pairs.
export function placeOf(counts, score) {
  return 1 + counts.filter(([other]) => other > score).reduce((sum, [, n]) => sum + n, 0);
}

// Places for a list already sorted by score, highest first.
export function placesOf(sorted) {
  return sorted.map((entry) => 1 + sorted.filter((other) => other.score > entry.score).length);
}

// Fills a list with a clue's answer: paragraphs, a picture if it has one,
// then other accepted answers.
export function showAnswer(answer, textNode, alsoList) {
  textNode.replaceChildren(
    ...(answer ? answer.text.split('\n\n').map((p) => el('span', { class: 'para' }, p)) : []),
    ...(answer && answer.image ? [el('img', { src: answer.image, alt: t('common.answer_picture'), class: 'answer-image' })] : []),
  );
  alsoList.replaceChildren(
    ...(answer && answer.also_accept.length
      ? [el('li', { class: 'also-head' }, t('common.also_accept')), ...answer.also_accept.map((a) => el('li', { translate: 'no' }, a))]
      : []),
  );
}

// When a screen reader hears how long is left: at the start, then at these
// seconds (not every second, which would drown everything else out).
const SAID_AT = [60, 30, 10, 5];

// Counts down in `node` from the server's milliseconds left; `said`, if
// given, is a live region told the time left at sensible moments.
function countdown(msLeft, node, said) {
  const ends = performance.now() + msLeft;
  clearInterval(node.timer);
  let lastSaid = null;
  const tick = () => {
    const left = Math.max(0, Math.ceil((ends - performance.now()) / 1000));
    node.textContent = t('common.seconds', { count: left });
    if (said && left > 0 && lastSaid !== left && (lastSaid === null || SAID_AT.includes(left))) {
      said.textContent = t('common.seconds_left', { count: left });
      lastSaid = left;
    }
    if (left === 0) clearInterval(node.timer);
  };
  tick();
  node.timer = setInterval(tick, 250);
}

// Shows a timer (`[kind, msLeft]`, or null for none) as a countdown in
// `node`, restarting only when the server sends a new one.
export function showTimer(timer, node, said = null) {
  if (!timer) {
    clearInterval(node.timer);
    node.textContent = '';
    node.dataset.for = '';
    if (said) said.textContent = '';
    return;
  }
  const [kind, msLeft] = timer;
  const key = `${kind}:${msLeft}`;
  if (node.dataset.for === key) return;
  node.dataset.for = key;
  countdown(msLeft, node, said);
  node.dataset.kind = kind;
}

export function formatScore(score) {
  return score < 0 ? `−${Math.abs(score)}` : String(score);
}
