// A student's phone: join with a name, then one big buzz button; the clue,
// its picture and answer, who got it right, and the scores, for students
// who cannot see the projector.
import { $, el, connect, GameModel, formatScore, showTimer } from './common.js';
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

// The game as this phone knows it (the same reducer as the host and the
// projector); what follows is only the phone's own: its buzz in flight,
// its lockout, when it showed the buzzers open.
const model = new GameModel();
let buzzedThisRound = false;
// A buzz sent and not yet acknowledged by the server.
let buzzSending = false;
let buzzTimeout = null;
// When this page showed the buzzers as open (performance.now()), for the
// reaction time sent with a buzz; and until when an early press locks us out.
let shownOpenAt = null;
let lockedUntil = 0;

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

const isMe = (player) => Boolean(model.you && model.you.id === player);

// Messages only this page acts on (its seat, its buzz, its refusals);
// true when the page should be drawn again.
function ownMessage(msg) {
  switch (msg.type) {
    case 'join_waiting':
      showJoinError(t('phone.waiting_for_host'));
      // Ask again in a moment, with the same nonce, for the host's answer.
      setTimeout(() => {
        const pending = pendingJoin();
        if (!model.you && pending) room.send({ type: 'join', name: pending.name, nonce: pending.nonce });
      }, 2000);
      return false;
    case 'buzz_received':
      buzzedThisRound = true;
      buzzSending = false;
      return true;
    case 'locked_out':
      lockedUntil = performance.now() + msg.ms;
      buzzedThisRound = false;
      buzzSending = false;
      if (navigator.vibrate) navigator.vibrate([30, 40, 30, 40, 30]);
      setTimeout(render, msg.ms + 20);
      return true;
    case 'error':
      buzzSending = false;
      if (model.you) {
        showStatus(errorText(msg));
      } else {
        showJoinError(errorText(msg));
        // That join made no seat; the next try starts afresh.
        localStorage.removeItem(JOIN_KEY);
        $('join-button').disabled = false;
      }
      return false;
    default:
      return false;
  }
}

function onMessage(msg) {
  if (msg.type === 'buzzers_opened') play('open');
  if (msg.type === 'answering' && isMe(msg.player)) play('buzz');
  if (msg.type === 'judged' && isMe(msg.player)) play(msg.correct ? 'right' : 'wrong');
  if (['buzz_received', 'locked_out', 'error', 'join_waiting'].includes(msg.type)) {
    if (ownMessage(msg)) render();
    return;
  }
  const hadSeat = Boolean(model.you);
  if (!model.apply(msg)) return;
  switch (msg.type) {
    case 'snapshot':
      roomLanguage(msg.language).then(render);
      play.follow(model.phoneSounds);
      buzzedThisRound = false;
      if (!model.you) {
        if (hadSeat || localStorage.getItem(TOKEN_KEY)) {
          showJoinError(t('phone.seat_lost'));
          localStorage.removeItem(TOKEN_KEY);
        }
        // A join sent before the connection dropped, never answered: send it
        // again; the server gives back the same seat if it had made one.
        const pending = pendingJoin();
        if (pending) room.send({ type: 'join', name: pending.name, nonce: pending.nonce });
      }
      break;
    case 'phone_sounds':
      play.follow(msg.on);
      break;
    case 'language':
      roomLanguage(msg.language).then(render);
      break;
    case 'welcome':
      localStorage.setItem(TOKEN_KEY, msg.token);
      localStorage.removeItem(JOIN_KEY);
      break;
    case 'clue_opened':
      buzzedThisRound = false;
      if (msg.clue.clue) say(msg.clue.clue);
      break;
    case 'buzzers_opened':
      buzzedThisRound = false;
      buzzSending = false;
      shownOpenAt = null;
      break;
    case 'player_removed':
      if (hadSeat && !model.you) {
        localStorage.removeItem(TOKEN_KEY);
        showJoinError(t('phone.removed'));
        $('join-button').disabled = false;
        // The seat is gone; a fresh connection comes back as a guest.
        room.restart();
      }
      break;
    case 'answering':
    case 'daily_double':
      if (isMe(msg.player)) {
        if (navigator.vibrate) navigator.vibrate([80, 40, 160]);
        else play.cue('buzz');
      }
      break;
    case 'answer_revealed':
      if (msg.answer) say(t('phone.answer_said', { answer: msg.answer.text }));
      break;
    case 'wagered':
      if (msg.clue && msg.clue.clue) say(msg.clue.clue);
      break;
    default:
      break;
  }
  render();
}

// What the button says and whether it can be pressed. While a clue is read
// out the button can be pressed, but pressing before the buzzers open locks
// the player out for a moment, as on the TV show.
function buzzerState() {
  const { clue, you } = model;
  if (model.cleared && !clue) return ['over', t('phone.state.over'), false];
  if (!clue) return ['wait', t('phone.state.wait'), false];
  if (model.triedThisClue()) return ['locked', t('phone.state.locked'), false];
  if (performance.now() < lockedUntil) return ['early', t('phone.state.early'), false];
  if (clue.buzzers === 'waiting') return ['wait', t('phone.state.wait'), true];
  if (clue.buzzers === 'answering' && clue.answering) {
    const mine = clue.answering.id === you.id;
    if (mine && clue.daily_double) return ['first', t('phone.state.your_dd'), false];
    return mine
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
  const { final, you } = model;
  if (!final || !you) return null;
  return final.players.find((p) => p.id === you.id || (you.team != null && p.team === you.team)) || null;
}

function inFinal() {
  return Boolean(mySeat());
}

// The points my side plays the Final with: my team's total in team games.
function sideScore() {
  const team = model.you.team != null ? model.teams.get(model.you.team) : null;
  return team ? team.score : model.you.score;
}

// The wager and Final forms, when this phone has something to send.
function renderForms() {
  const { final, dailyDouble } = model;
  const entry = mySeat();
  const myDailyDouble = dailyDouble && isMe(dailyDouble.player);
  const finalWager = inFinal() && final.stage === 'wagering' && !entry.wagered;
  const wagerForm = $('wager-form');
  wagerForm.hidden = !(myDailyDouble || finalWager);
  if (myDailyDouble) {
    const { min, max } = dailyDouble;
    $('wager-prompt').textContent = min == null
      ? t('phone.dd_wager')
      : t('phone.dd_wager_between', { min, max });
    // The bounds are the server's; a page that reloaded mid-wager learns
    // them from the server's answer to its first try.
    if (min != null) $('wager-amount').min = min; else $('wager-amount').removeAttribute('min');
    if (max != null) $('wager-amount').max = max; else $('wager-amount').removeAttribute('max');
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
  const place = model.myPlace(model.standingsAtEnd);
  if (model.standingsAtEnd) {
    note = '';
    if (model.scoresHidden) note = t('phone.hint.over_hidden');
    else if (place && place.team != null) note = t('phone.team_finished', { name: place.team, rank: place.rank, count: place.count, score: formatScore(place.score) });
    else if (place) note = t('phone.finished', { rank: place.rank, count: place.count, score: formatScore(place.score) });
  }
  $('final-note').textContent = note;
}

function renderTeam() {
  const { teams, you, clue, final } = model;
  const team = you.team != null ? teams.get(you.team) : null;
  $('my-team').textContent = team ? t('phone.team_line', { name: team.name, score: formatScore(team.score) }) : '';
  const choice = $('team-choice');
  choice.hidden = teams.size === 0 || Boolean(clue) || Boolean(final) || model.teamsLocked;
  if (choice.hidden) return;
  const select = $('team-select');
  // Teams the host plays without phones are not for phones to join.
  const joinable = [...teams.values()].filter((each) => !each.no_phone);
  const key = joinable.map((each) => `${each.id}:${each.name}`).join('|') + `#${you.team}`;
  if (select.dataset.key === key) return;
  select.dataset.key = key;
  select.replaceChildren(...joinable.map((each) => {
    const option = document.createElement('option');
    option.value = String(each.id);
    option.textContent = each.name;
    option.selected = each.id === you.team;
    return option;
  }));
}

function render() {
  const { you: me, clue } = model;
  // Hidden scores (a review round): style.css takes every total off screen.
  document.body.classList.toggle('scores-hidden', model.scoresHidden);
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
  $('phone-image-button').hidden = !src;
  if (!src) document.body.classList.remove('picture-large');
  const answer = clue && clue.revealed && clue.answer ? clue.answer.text : '';
  $('phone-answer').hidden = !answer;
  $('phone-answer-text').textContent = answer;
  const [state, label, enabled] = buzzerState();
  const button = $('buzz');
  // While this phone wagers or writes its Final answer, the form is what
  // matters: the idle buzzer makes way.
  const formShown = !$('wager-form').hidden || !$('final-answer-form').hidden;
  button.hidden = formShown;
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
  const myDailyDouble = clue && clue.daily_double && state === 'first';
  const hints = {
    wait: t('phone.hint.wait'),
    open: t('phone.hint.open'),
    sent: t('phone.hint.sent'),
    sending: t('phone.hint.sending'),
    closed: t('phone.hint.closed'),
    first: myDailyDouble ? t('phone.hint.your_dd') : t('phone.hint.first'),
    other: t('phone.hint.other'),
    locked: t('phone.hint.locked'),
    early: t('phone.hint.early'),
    over: model.scoresHidden ? t('phone.hint.over_hidden') : t('phone.hint.over', { score: formatScore(me.score) }),
  };
  // Game over is said once, in the note with the rank.
  // While a form is shown, the buzzer's hints would only mislead.
  showStatus(formShown || (state === 'over' && model.standingsAtEnd) ? '' : hints[state]);
  document.querySelector('#buzzer-screen > .hint').hidden = formShown;
  renderJudgement();
  renderStandings();
}

// Right or wrong, with the points: on the answering phone in full, on the
// others as one line; in the Final, my side's own answer.
function renderJudgement() {
  const judgement = model.lastJudgement;
  const line = $('phone-judgement');
  const entry = mySeat();
  if (!model.clue && entry && entry.correct != null && entry.revealed) {
    line.hidden = false;
    line.dataset.correct = String(entry.correct);
    const delta = entry.delta ?? (entry.correct ? 1 : -1) * (entry.wager || 0);
    const points = delta ? `${delta > 0 ? '+' : '−'}${Math.abs(delta)}` : t('common.no_points');
    line.textContent = model.scoresHidden
      ? t(entry.correct ? 'phone.final_right_hidden' : 'phone.final_wrong_hidden', { points })
      : t(entry.correct ? 'phone.final_right' : 'phone.final_wrong', { points, score: formatScore(sideScore()) });
    return;
  }
  line.hidden = !(judgement && model.clue);
  if (line.hidden) return;
  const points = judgement.delta === 0 ? t('common.no_points') : `${judgement.delta > 0 ? '+' : '−'}${Math.abs(judgement.delta)}`;
  line.dataset.correct = String(judgement.correct);
  const mine = model.scoresHidden
    ? t(judgement.correct ? 'phone.you_right_hidden' : 'phone.you_wrong_hidden', { points })
    : t(judgement.correct ? 'phone.you_right' : 'phone.you_wrong', { points, score: formatScore(judgement.score) });
  line.textContent = isMe(judgement.player)
    ? mine
    : t(judgement.correct ? 'common.judged_right' : 'common.judged_wrong', { name: judgement.name, points });
}

// Between clues: the leaders with their places, and mine (my team's in
// team games); I am listed below the leaders when I am not among them.
function renderStandings() {
  const { clue, final, you: me } = model;
  const standings = model.standingsBetween;
  const finish = model.standingsAtEnd;
  const box = $('phone-scores');
  const between = !clue && !(final && final.stage !== 'over');
  const shown = finish || standings;
  box.hidden = !(between && shown && shown.leaders.length);
  const place = model.myPlace(standings);
  let rankText = '';
  if (place && place.team != null) rankText = t('phone.team_rank', { rank: place.rank, count: place.count });
  else if (place) rankText = t('phone.rank', { rank: place.rank, count: place.count });
  $('my-rank').textContent = finish ? '' : rankText;
  if (box.hidden) return;
  const row = (p, mine) => el('li', { class: mine ? 'me-row' : '' },
    el('span', { class: 'place' }, t('phone.place', { rank: p.rank })), ' ',
    el('span', { class: 'player-name', translate: 'no' }, p.name), ' ',
    el('span', { class: 'player-score' }, formatScore(p.score)));
  const rows = shown.leaders.map((p) => row(p, p.id === me.id));
  if (!shown.leaders.some((p) => p.id === me.id)) {
    const mine = model.myPlace({ ...shown, teams: [] });
    if (mine) rows.push(row({ rank: mine.rank, name: me.name, score: me.score }, true));
  }
  $('phone-scoreboard').replaceChildren(...rows);
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
  // The press is a tap: sound may play from now on (iPhones cannot vibrate
  // to say the buzz won, so they hear it).
  play.unlock();
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

// The clue's picture stays small enough to keep the buzzer in view; a tap
// shows it across the screen, another tap puts it back.
$('phone-image-button').addEventListener('click', () => {
  const large = document.body.classList.toggle('picture-large');
  $('phone-image-button').setAttribute('aria-pressed', String(large));
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
  $('text-switch').textContent = t(on ? 'phone.larger_text_on' : 'phone.larger_text_off');
}
applyLargeText(localStorage.getItem(LARGE_KEY) === 'on');
$('text-switch').addEventListener('click', () => {
  const on = !document.body.classList.contains('large-text');
  localStorage.setItem(LARGE_KEY, on ? 'on' : 'off');
  applyLargeText(on);
});
// Kept awake while a clue is on (where the browser allows it), so a phone
// does not dim while its player reads the clue.
let wakeLock = null;
async function keepAwake(wanted) {
  if (!('wakeLock' in navigator)) return;
  try {
    if (wanted && !wakeLock && document.visibilityState === 'visible') {
      wakeLock = await navigator.wakeLock.request('screen');
      wakeLock.addEventListener('release', () => { wakeLock = null; });
    } else if (!wanted && wakeLock) {
      await wakeLock.release();
      wakeLock = null;
    }
  } catch {
    wakeLock = null;
  }
}
setInterval(() => keepAwake(Boolean(model.clue) || Boolean(model.final && model.final.stage !== 'over')), 1000);

onLanguageChange(() => {
  applyLargeText(document.body.classList.contains('large-text'));
  render();
});

// Shown until the first snapshot says whether we have a seat.
render();
$('join-form').hidden = true;
