// A student's phone: join with a name, then one big buzz button; the clue,
// its picture and answer, who got it right, and the scores, for students
// who cannot see the projector.
import { $, el, connect, formatScore, showTimer } from './common.js';
import { sounds } from './sound.js';
import { readAloud } from './speech.js';
import { t, errorText, roomLanguage, onLanguageChange } from './i18n.js';

// Phones are quiet unless the host turns sounds on for everyone, or the
// student does on their own phone.
const play = sounds('sound-switch', 'buzzboard:phone-sound', false);
const say = readAloud('read-switch', 'buzzboard:phone-read');
const LARGE_KEY = 'buzzboard:large-text';

const code = document.body.dataset.code;
const TOKEN_KEY = `buzzboard:${code}:token`;
// Kept from sending a join until its welcome: if the connection drops in
// between, the join is sent again with it and gets the same seat.
const JOIN_KEY = `buzzboard:${code}:join`;

let me = null; // { id, name, score }
let clue = null; // the open clue, as this phone knows it
let buzzedThisRound = false;
// A buzz sent and not yet acknowledged by the server.
let buzzSending = false;
let buzzTimeout = null;
let triedThisClue = false;
let cleared = false;
// When this page showed the buzzers as open (performance.now()), for the
// reaction time sent with a buzz; and until when an early press locks us out.
let shownOpenAt = null;
let lockedUntil = 0;
let dailyDouble = null; // { player, name, min, max } while one is being wagered
let final = null; // the Final as this phone sees it
let mine = null; // my own part in the Final (from my replies)
let finish = null; // standings at the end
let teams = new Map(); // id -> { id, name, score }
let myTeam = null;
let standings = null; // { leaders, counts } from the server, between clues
let judgement = null; // { mine, name, correct, delta, score } for the open clue

const room = connect(() => {
  const token = localStorage.getItem(TOKEN_KEY);
  return token ? { role: 'player', token } : { role: 'player' };
}, onMessage);

// The join sent and not yet welcomed, if any: { nonce, name }.
function pendingJoin() {
  try {
    const pending = JSON.parse(localStorage.getItem(JOIN_KEY));
    return pending && typeof pending.nonce === 'string' && typeof pending.name === 'string' ? pending : null;
  } catch {
    return null;
  }
}

function onMessage(msg) {
  if (msg.type === 'buzzers_opened') play('open');
  if (msg.type === 'answering' && me && msg.player === me.id) play('buzz');
  if (msg.type === 'judged' && me && msg.player === me.id) play(msg.correct ? 'right' : 'wrong');
  switch (msg.type) {
    case 'snapshot':
      roomLanguage(msg.language).then(render);
      play.follow(Boolean(msg.phone_sounds));
      standings = msg.standings || null;
      judgement = null;
      clue = msg.clue;
      cleared = msg.cleared;
      final = msg.final_round;
      teams = new Map((msg.teams || []).map((t) => [t.id, { ...t }]));
      myTeam = msg.you ? msg.you.team ?? null : null;
      dailyDouble = clue && clue.buzzers === 'wagering' && clue.answering
        ? { player: clue.answering.id, name: clue.answering.name, min: null, max: null }
        : null;
      if (msg.you) {
        me = { ...msg.you };
        triedThisClue = Boolean(clue && (clue.tried.includes(me.id)
          || (myTeam != null && (clue.tried_teams || []).includes(myTeam))));
      } else {
        if (me || localStorage.getItem(TOKEN_KEY)) {
          showJoinError(t('phone.seat_lost'));
          localStorage.removeItem(TOKEN_KEY);
        }
        me = null;
        // A join sent before the connection dropped, never answered: send it
        // again; the server gives back the same seat if it had made one.
        const pending = pendingJoin();
        if (pending) room.send({ type: 'join', name: pending.name, nonce: pending.nonce });
      }
      buzzedThisRound = false;
      break;
    case 'phone_sounds':
      play.follow(msg.on);
      return;
    case 'language':
      roomLanguage(msg.language).then(render);
      return;
    case 'join_waiting': {
      showJoinError(t('phone.waiting_for_host'));
      // Ask again in a moment, with the same nonce, for the host's answer.
      setTimeout(() => {
        const pending = pendingJoin();
        if (!me && pending) room.send({ type: 'join', name: pending.name, nonce: pending.nonce });
      }, 2000);
      return;
    }
    case 'welcome':
      me = { id: msg.player, name: msg.name, score: msg.score };
      localStorage.setItem(TOKEN_KEY, msg.token);
      localStorage.removeItem(JOIN_KEY);
      triedThisClue = false;
      break;
    case 'clue_opened':
      clue = msg.clue;
      buzzedThisRound = false;
      triedThisClue = false;
      judgement = null;
      if (clue.clue) say(clue.clue);
      break;
    case 'buzzers_opened':
      if (clue) Object.assign(clue, { buzzers: 'open', answering: null });
      buzzedThisRound = false;
      buzzSending = false;
      shownOpenAt = null;
      break;
    case 'buzz_received':
      buzzedThisRound = true;
      buzzSending = false;
      break;
    case 'locked_out':
      lockedUntil = performance.now() + msg.ms;
      buzzedThisRound = false;
      buzzSending = false;
      if (navigator.vibrate) navigator.vibrate([30, 40, 30, 40, 30]);
      setTimeout(render, msg.ms + 20);
      break;
    case 'player_removed':
      if (me && msg.player === me.id) {
        me = null;
        localStorage.removeItem(TOKEN_KEY);
        showJoinError(t('phone.removed'));
        $('join-button').disabled = false;
        // The seat is gone; a fresh connection comes back as a guest.
        room.restart();
      }
      break;
    case 'answering':
      if (clue) Object.assign(clue, { buzzers: 'answering', answering: { id: msg.player, name: msg.name } });
      if (me && msg.player === me.id && navigator.vibrate) navigator.vibrate([80, 40, 160]);
      break;
    case 'judged':
      judgement = {
        mine: Boolean(me && msg.player === me.id),
        name: clue && clue.answering && clue.answering.id === msg.player ? clue.answering.name : '',
        correct: msg.correct,
        delta: msg.delta,
        score: msg.score,
      };
      if (me && msg.player === me.id) {
        me.score = msg.score;
        if (!msg.correct) triedThisClue = true;
      }
      // A teammate's wrong answer locks the whole team out of this clue.
      if (!msg.correct && msg.team != null && msg.team === myTeam) triedThisClue = true;
      if (clue) clue.answering = null;
      break;
    case 'buzzers_closed':
      if (clue) Object.assign(clue, { buzzers: 'closed', answering: null });
      break;
    case 'answer_revealed':
      if (clue) Object.assign(clue, { revealed: true, answer: msg.answer });
      if (msg.answer) say(t('phone.answer_said', { answer: msg.answer.text }));
      break;
    case 'clue_closed':
      clue = null;
      dailyDouble = null;
      judgement = null;
      if (msg.standings) standings = msg.standings;
      break;
    case 'team_created':
      teams.set(msg.team, { id: msg.team, name: msg.name, score: 0 });
      break;
    case 'team_changed':
      if (me && msg.player === me.id) myTeam = msg.team;
      break;
    case 'team_score': {
      const team = teams.get(msg.team);
      if (team) team.score = msg.score;
      break;
    }
    case 'timer':
      if (clue) clue.timer = [msg.kind, msg.ms_left];
      break;
    case 'time_up':
      if (clue) clue.timer = null;
      break;
    case 'daily_double':
      dailyDouble = { player: msg.player, name: msg.name, min: msg.min, max: msg.max };
      if (clue) Object.assign(clue, { buzzers: 'wagering', answering: { id: msg.player, name: msg.name } });
      if (me && msg.player === me.id && navigator.vibrate) navigator.vibrate([80, 40, 160]);
      break;
    case 'wagered':
      dailyDouble = null;
      if (msg.clue) {
        clue = msg.clue;
        if (clue.clue) say(clue.clue);
      }
      if (clue) Object.assign(clue, { buzzers: 'answering', wager: msg.amount });
      break;
    case 'final': {
      const { type, ...view } = msg;
      final = view;
      break;
    }
    case 'final_player': {
      const { type, ...entry } = msg;
      if (me && (entry.id === me.id || (myTeam != null && entry.team === myTeam))) mine = entry;
      if (final) {
        const index = final.players.findIndex((p) => p.id === entry.id);
        if (index >= 0) final.players[index] = { ...final.players[index], ...entry };
      }
      break;
    }
    case 'final_judged':
      if (me && msg.player === me.id) me.score = msg.score;
      break;
    case 'game_over':
      finish = msg.standings;
      cleared = true;
      break;
    case 'board_cleared':
      cleared = true;
      break;
    case 'score_adjusted':
      if (me && msg.player === me.id) me.score = msg.score;
      break;
    case 'error':
      buzzSending = false;
      if (me) showStatus(errorText(msg));
      else showJoinError(errorText(msg));
      if (!me) {
        // That join made no seat; the next try starts afresh.
        localStorage.removeItem(JOIN_KEY);
        $('join-button').disabled = false;
      }
      return;
    default:
      return;
  }
  render();
}

// What the button says and whether it can be pressed. While a clue is read
// out the button can be pressed, but pressing before the buzzers open locks
// the player out for a moment, as on the TV show.
function buzzerState() {
  if (cleared && !clue) return ['over', t('phone.state.over'), false];
  if (!clue) return ['wait', t('phone.state.wait'), false];
  if (triedThisClue) return ['locked', t('phone.state.locked'), false];
  if (performance.now() < lockedUntil) return ['early', t('phone.state.early'), false];
  if (clue.buzzers === 'waiting') return ['wait', t('phone.state.wait'), true];
  if (clue.buzzers === 'answering' && clue.answering) {
    return clue.answering.id === me.id
      ? ['first', t('phone.state.first'), false]
      : ['other', t('phone.state.other', { name: clue.answering.name }), false];
  }
  if (clue.buzzers === 'open') {
    if (buzzedThisRound) return ['sent', t('phone.state.sent'), false];
    if (buzzSending) return ['sending', t('phone.state.sending'), false];
    return ['open', t('phone.state.open'), true];
  }
  if (clue.buzzers === 'closed') return ['closed', clue.revealed ? t('phone.state.answer_shown') : t('phone.state.closed'), false];
  return ['wait', t('phone.state.wait'), false];
}

// My side's seat in the Final: mine, or my team's (any member plays it).
function mySeat() {
  if (!final || !me) return null;
  return final.players.find((p) => p.id === me.id || (myTeam != null && p.team === myTeam)) || null;
}

function inFinal() {
  return Boolean(mySeat());
}

// The points my side plays the Final with: my team's total in team games.
function sideScore() {
  const team = myTeam != null ? teams.get(myTeam) : null;
  return team ? team.score : me.score;
}

function myFinalEntry() {
  const seat = mySeat();
  if (!seat) return null;
  return { ...seat, ...(mine || {}) };
}

// The wager and Final forms, when this phone has something to send.
function renderForms() {
  const entry = myFinalEntry();
  const myDailyDouble = dailyDouble && me && dailyDouble.player === me.id;
  const finalWager = inFinal() && final.stage === 'wagering' && !entry.wagered;
  const wagerForm = $('wager-form');
  wagerForm.hidden = !(myDailyDouble || finalWager);
  if (myDailyDouble) {
    const { min, max } = dailyDouble;
    $('wager-prompt').textContent = min == null
      ? t('phone.dd_wager')
      : t('phone.dd_wager_between', { min, max });
    $('wager-amount').min = min ?? 5;
    if (max != null) $('wager-amount').max = max;
    wagerForm.dataset.kind = 'wager';
  } else if (finalWager) {
    $('wager-prompt').textContent = t('phone.final_wager', { category: final.category, max: sideScore() });
    $('wager-amount').min = 0;
    $('wager-amount').max = sideScore();
    wagerForm.dataset.kind = 'final_wager';
  }
  const answering = inFinal() && final.stage === 'answering' && !entry.answered;
  $('final-answer-form').hidden = !answering;
  if (answering) {
    $('final-clue-phone').textContent = final.clue || '';
    showTimer(['final', final.ms_left || 0], $('final-timer-phone'));
  }
  let note = '';
  if (dailyDouble && !myDailyDouble) note = t('phone.dd_other', { name: dailyDouble.name });
  if (final && final.stage !== 'over') {
    if (!inFinal()) note = t('phone.final_watch', { category: final.category });
    else if (final.stage === 'wagering' && entry.wagered) note = entry.wager != null ? t('phone.final_wager_in', { amount: entry.wager }) : t('phone.final_wager_in_team');
    else if (final.stage === 'answering' && entry.answered) note = t('phone.final_answer_sent');
    else if (final.stage === 'judging') note = t('phone.final_judging');
  }
  if (finish && me) {
    const rank = finish.findIndex((p) => p.id === me.id) + 1;
    note = rank ? t('phone.finished', { rank, count: finish.length, score: formatScore(me.score) }) : '';
  }
  $('final-note').textContent = note;
}

function renderTeam() {
  const team = myTeam != null ? teams.get(myTeam) : null;
  $('my-team').textContent = team ? t('phone.team_line', { name: team.name, score: formatScore(team.score) }) : '';
  const choice = $('team-choice');
  choice.hidden = teams.size === 0 || Boolean(clue) || Boolean(final);
  if (choice.hidden) return;
  const select = $('team-select');
  const key = [...teams.values()].map((t) => `${t.id}:${t.name}`).join('|') + `#${myTeam}`;
  if (select.dataset.key === key) return;
  select.dataset.key = key;
  select.replaceChildren(...[...teams.values()].map((t) => {
    const option = document.createElement('option');
    option.value = String(t.id);
    option.textContent = t.name;
    option.selected = t.id === myTeam;
    return option;
  }));
}

function render() {
  $('join-form').hidden = Boolean(me);
  $('buzzer-screen').hidden = !me;
  if (!me) return;
  renderForms();
  renderTeam();
  showTimer(clue ? clue.timer : null, $('phone-timer'), $('timer-said'));
  $('my-name').textContent = me.name;
  $('my-score').textContent = formatScore(me.score);
  $('clue-text').textContent = clue ? clue.clue : '';
  // A remote student (or one in the back row) sees what the projector shows.
  const image = $('phone-clue-image');
  const src = clue && clue.image ? clue.image : '';
  if (image.getAttribute('src') !== src) {
    if (src) image.setAttribute('src', src); else image.removeAttribute('src');
  }
  image.hidden = !src;
  const answer = clue && clue.revealed && clue.answer ? clue.answer.text : '';
  $('phone-answer').hidden = !answer;
  $('phone-answer-text').textContent = answer;
  const [state, label, enabled] = buzzerState();
  const button = $('buzz');
  // Never disabled: a disabled button drops keyboard and screen-reader
  // focus to the page. It says it cannot be pressed, and presses are ignored.
  button.setAttribute('aria-disabled', String(!enabled));
  if (button.dataset.state !== state) announce(state, label);
  button.dataset.state = state;
  $('buzz-label').textContent = label;
  if (state === 'open' && shownOpenAt === null) {
    // The button turns red now; the screen paints it within a frame. (Not
    // stamped in requestAnimationFrame: a throttled tab may delay that
    // callback, shrinking the reaction time an honest player reports.)
    shownOpenAt = performance.now();
  }
  const hints = {
    wait: t('phone.hint.wait'),
    open: t('phone.hint.open'),
    sent: t('phone.hint.sent'),
    sending: t('phone.hint.sending'),
    closed: t('phone.hint.closed'),
    first: t('phone.hint.first'),
    other: t('phone.hint.other'),
    locked: t('phone.hint.locked'),
    early: t('phone.hint.early'),
    over: t('phone.hint.over', { score: formatScore(me.score) }),
  };
  // Game over is said once, in the note with the rank.
  showStatus(state === 'over' && finish ? '' : hints[state]);
  renderJudgement();
  renderStandings();
}

// Right or wrong, with the points: on the answering phone in full, on the
// others as one line.
function renderJudgement() {
  const line = $('phone-judgement');
  line.hidden = !(judgement && clue);
  if (line.hidden) return;
  const points = judgement.delta === 0 ? t('common.no_points') : `${judgement.delta > 0 ? '+' : '−'}${Math.abs(judgement.delta)}`;
  line.dataset.correct = String(judgement.correct);
  line.textContent = judgement.mine
    ? t(judgement.correct ? 'phone.you_right' : 'phone.you_wrong', { points, score: formatScore(judgement.score) })
    : t(judgement.correct ? 'common.judged_right' : 'common.judged_wrong', { name: judgement.name, points });
}

// Between clues: the leaders and my rank (my team's in team games).
function renderStandings() {
  const box = $('phone-scores');
  const between = !clue && !finish && !(final && final.stage !== 'over');
  box.hidden = !(between && standings && standings.leaders.length);
  let rankText = '';
  if (myTeam != null && teams.has(myTeam)) {
    const sorted = [...teams.values()].sort((a, b) => b.score - a.score);
    const rank = 1 + sorted.filter((team) => team.score > teams.get(myTeam).score).length;
    rankText = t('phone.team_rank', { rank, count: sorted.length });
  } else if (standings) {
    const total = standings.counts.reduce((sum, [, n]) => sum + n, 0);
    const above = standings.counts.filter(([score]) => score > me.score).reduce((sum, [, n]) => sum + n, 0);
    if (total > 0) rankText = t('phone.rank', { rank: above + 1, count: total });
  }
  $('my-rank').textContent = finish ? '' : rankText;
  if (box.hidden) return;
  $('phone-scoreboard').replaceChildren(...standings.leaders.map((p) =>
    el('li', { class: p.id === me.id ? 'me-row' : '' },
      el('span', { class: 'player-name', translate: 'no' }, p.name), ' ',
      el('span', { class: 'player-score' }, formatScore(p.score)))));
}

// The moments a player must hear at once, whatever else is said.
function announce(state, label) {
  if (state === 'first' || state === 'early' || state === 'locked') $('buzz-alert').textContent = label;
}

function showStatus(text) {
  $('buzz-status').textContent = text;
}

function showJoinError(text) {
  const box = $('join-error');
  box.textContent = text;
  box.hidden = false;
}

function buzz() {
  const pressedAt = performance.now();
  const [state, , enabled] = buzzerState();
  if (!enabled) return;
  const msg = { type: 'buzz' };
  if (state === 'open' && shownOpenAt !== null) msg.reaction_ms = Math.round((pressedAt - shownOpenAt) * 10) / 10;
  // A press before this screen showed "open" is early, even if the server
  // opened the buzzers while it travelled.
  else msg.early = true;
  if (!room.send(msg)) {
    // Never a silent press: say the buzz did not go.
    showStatus(t('phone.not_connected'));
    return;
  }
  if (state === 'open') {
    // Shown as sent only once the server says it has it.
    buzzSending = true;
    clearTimeout(buzzTimeout);
    buzzTimeout = setTimeout(() => {
      if (!buzzSending) return;
      buzzSending = false;
      render();
      showStatus(t('phone.buzz_lost'));
    }, 3000);
    render();
  }
}

// pointerdown fires as the finger lands, earlier than click.
$('buzz').addEventListener('pointerdown', (event) => {
  event.preventDefault();
  buzz();
});
$('buzz').addEventListener('click', (event) => {
  // Keyboard activation (Enter) arrives as a click with no pointer.
  if (event.detail === 0) buzz();
});
document.addEventListener('keydown', (event) => {
  // Typing a space in a form field (a name, a wager, a Final answer) is not a buzz.
  const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
  if (event.code !== 'Space' || typing) return;
  event.preventDefault();
  buzz();
});

$('team-choice').addEventListener('submit', (event) => {
  event.preventDefault();
  room.send({ type: 'choose_team', team: Number($('team-select').value) });
});

$('wager-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const amount = Math.trunc(Number($('wager-amount').value));
  if (!Number.isFinite(amount)) {
    showStatus(t('phone.whole_number'));
    return;
  }
  room.send({ type: $('wager-form').dataset.kind, amount });
});

$('final-answer-form').addEventListener('submit', (event) => {
  event.preventDefault();
  room.send({ type: 'final_answer', text: $('final-answer-text').value });
});

$('join-form').addEventListener('submit', (event) => {
  event.preventDefault();
  $('join-error').hidden = true;
  $('join-button').disabled = true;
  const nonce = (pendingJoin() || {}).nonce
    || Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  const name = $('name').value;
  localStorage.setItem(JOIN_KEY, JSON.stringify({ nonce, name }));
  if (!room.send({ type: 'join', name, nonce })) {
    showJoinError(t('phone.not_connected'));
    $('join-button').disabled = false;
  }
});

// A larger-text setting, remembered on this phone.
function applyLargeText(on) {
  document.body.classList.toggle('large-text', on);
  $('text-switch').setAttribute('aria-pressed', String(on));
}
applyLargeText(localStorage.getItem(LARGE_KEY) === 'on');
$('text-switch').addEventListener('click', () => {
  const on = !document.body.classList.contains('large-text');
  localStorage.setItem(LARGE_KEY, on ? 'on' : 'off');
  applyLargeText(on);
});
onLanguageChange(render);

// Shown until the first snapshot says whether we have a seat.
render();
$('join-form').hidden = true;
