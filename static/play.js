// A student's phone: join with a name, then one big buzz button.
import { $, connect, formatScore, showTimer } from './common.js';
import { sounds } from './sound.js';

// Phones are quiet unless the student turns sound on.
const play = sounds('sound-switch', 'buzzboard:phone-sound', false);

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
          showJoinError('Your seat was not found in this game; please join again.');
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
    case 'join_waiting': {
      showJoinError('Waiting for the host to let you in…');
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
        showJoinError('The host removed you from the game.');
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
      break;
    case 'clue_closed':
      clue = null;
      dailyDouble = null;
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
      if (msg.clue) clue = msg.clue;
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
      if (me) showStatus(msg.message);
      else showJoinError(msg.message);
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
  if (cleared && !clue) return ['over', 'Game over', false];
  if (!clue) return ['wait', 'Wait', false];
  if (triedThisClue) return ['locked', 'Locked out', false];
  if (performance.now() < lockedUntil) return ['early', 'Too early!', false];
  if (clue.buzzers === 'waiting') return ['wait', 'Wait…', true];
  if (clue.buzzers === 'answering' && clue.answering) {
    return clue.answering.id === me.id ? ['first', 'You’re first!', false] : ['other', `${clue.answering.name} is answering`, false];
  }
  if (clue.buzzers === 'open') {
    if (buzzedThisRound) return ['sent', 'Buzzed!', false];
    if (buzzSending) return ['sending', 'Sending…', false];
    return ['open', 'BUZZ!', true];
  }
  if (clue.buzzers === 'closed') return ['closed', clue.revealed ? 'Answer shown' : 'Closed', false];
  return ['wait', 'Wait', false];
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
      ? 'Daily Double! Your wager:'
      : `Daily Double! Wager between ${min} and ${max}:`;
    $('wager-amount').min = min ?? 5;
    if (max != null) $('wager-amount').max = max;
    wagerForm.dataset.kind = 'wager';
  } else if (finalWager) {
    $('wager-prompt').textContent = `Final: ${final.category}. Wager between 0 and ${sideScore()}:`;
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
  if (dailyDouble && !myDailyDouble) note = `${dailyDouble.name} is playing the Daily Double.`;
  if (final && final.stage !== 'over') {
    if (!inFinal()) note = `Final: ${final.category}. Only players with points play it; watch the projector!`;
    else if (final.stage === 'wagering' && entry.wagered) note = `Wager in${entry.wager != null ? `: ${entry.wager}` : ''}. Wait for the clue…`;
    else if (final.stage === 'answering' && entry.answered) note = 'Answer sent. Wait for the host to reveal it.';
    else if (final.stage === 'judging') note = 'Time is up! The host is revealing the answers.';
  }
  if (finish && me) {
    const rank = finish.findIndex((p) => p.id === me.id) + 1;
    note = rank ? `Game over: you finished #${rank} of ${finish.length} with ${formatScore(me.score)} points.` : 'Game over.';
  }
  $('final-note').textContent = note;
}

function renderTeam() {
  const team = myTeam != null ? teams.get(myTeam) : null;
  $('my-team').textContent = team ? `Team ${team.name}: ${formatScore(team.score)}` : '';
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
  showTimer(clue ? clue.timer : null, $('phone-timer'));
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
    wait: 'Wait for the buzzers to open.',
    open: 'Buzzers are open!',
    sent: 'Your buzz is in.',
    sending: 'Sending your buzz…',
    closed: 'This clue is over; the next one comes soon.',
    first: 'You won the buzz: answer now!',
    other: 'Someone else is answering.',
    locked: 'You already tried this clue.',
    early: 'Too early! Wait for the buzzers to open.',
    over: `Game over. Your score: ${formatScore(me.score)}`,
  };
  showStatus(hints[state]);
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
  if (room.send(msg) && state === 'open') {
    // Shown as sent only once the server says it has it.
    buzzSending = true;
    clearTimeout(buzzTimeout);
    buzzTimeout = setTimeout(() => {
      if (!buzzSending) return;
      buzzSending = false;
      render();
      showStatus('Your buzz did not reach the game. Check your connection and press again.');
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
    showStatus('Type a whole number.');
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
    showJoinError('Not connected yet; try again in a moment.');
    $('join-button').disabled = false;
  }
});

// Shown until the first snapshot says whether we have a seat.
render();
$('join-form').hidden = true;
