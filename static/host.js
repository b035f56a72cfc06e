// The host's controls: pick tiles, run the buzzers, judge, adjust scores.
import { $, el, connect, GameModel, showAnswer, formatScore, showTimer } from './common.js';
import { sounds } from './sound.js';
import { t, errorText, roomLanguage, onLanguageChange } from './i18n.js';

// The host's laptop is quiet unless switched on (the projector plays the show).
const play = sounds('sound-switch', 'buzzboard:host-sound', false);

const model = new GameModel();
const room = connect(() => ({ role: 'host' }), (msg) => {
  if (msg.type === 'error') {
    toast(errorText(msg));
    return;
  }
  if (msg.type === 'answering') play('buzz');
  if (msg.type === 'daily_doubles_placed') {
    toast(t('host.dd_placed', { count: msg.per_round }));
    if (msg.board && model.board) {
      model.board = msg.board;
      render();
    }
    return;
  }
  if (msg.type === 'wrong_costs_points') {
    $('wrong-costs').checked = msg.wrong_costs_points;
    return;
  }
  if (msg.type === 'score_adjusted' && msg.undone) {
    const who = model.players.get(msg.player);
    const sign = msg.delta >= 0 ? '+' : '−';
    toast(t('host.undone', { name: who ? who.name : '?', points: `${sign}${Math.abs(msg.delta)}`, score: formatScore(msg.score) }));
  }
  if (msg.type === 'text_filter') {
    $('text-filter').checked = msg.on;
    return;
  }
  if (msg.type === 'phone_sounds') {
    $('phone-sounds').checked = msg.on;
    return;
  }
  if (msg.type === 'scores_hidden') {
    $('scores-hidden').checked = msg.on;
    return;
  }
  if (msg.type === 'language') {
    $('room-language').value = msg.language;
    roomLanguage(msg.language).then(render);
    return;
  }
  if (msg.type === 'snapshot') {
    $('phone-sounds').checked = Boolean(msg.phone_sounds);
    $('scores-hidden').checked = Boolean(msg.scores_hidden);
    $('room-language').value = msg.language || 'en';
    roomLanguage(msg.language).then(render);
    $('wrong-costs').checked = msg.wrong_costs_points;
    $('text-filter').checked = msg.text_filter !== false;
    $('buzz-seconds').value = msg.buzz_seconds;
    $('answer-seconds').value = msg.answer_seconds;
  }
  if (msg.type === 'timers') {
    $('buzz-seconds').value = msg.buzz_seconds;
    $('answer-seconds').value = msg.answer_seconds;
    return;
  }
  if (msg.type === 'media_playback') {
    toast(msg.playing ? t('host.playing') : t('host.paused'));
    return;
  }
  if (model.apply(msg)) render();
});

const send = (msg) => {
  if (!room.send(msg)) toast(t('host.not_connected'));
};

let toastTimer = null;
function toast(text) {
  const box = $('toast');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, 4000);
}

// The answer on this screen: the laptop is often mirrored on the
// projector, so the answer shows only while the teacher holds "peek", or
// always once they say this screen is private (remembered on this device).
const ALWAYS_KEY = 'buzzboard:host-always-show';
const HINT_KEY = 'buzzboard:host-peek-hint-seen';
function showSecrets() {
  document.body.classList.toggle('always-show', localStorage.getItem(ALWAYS_KEY) === 'on');
  $('always-show').checked = localStorage.getItem(ALWAYS_KEY) === 'on';
}
showSecrets();
$('always-show').addEventListener('change', () => {
  localStorage.setItem(ALWAYS_KEY, $('always-show').checked ? 'on' : 'off');
  showSecrets();
});
for (const id of ['peek', 'final-peek']) {
  const button = $(id);
  const hold = (on) => () => {
    document.body.classList.toggle('peeking', on);
    button.setAttribute('aria-pressed', String(on));
  };
  button.addEventListener('pointerdown', hold(true));
  for (const end of ['pointerup', 'pointerleave', 'pointercancel', 'blur']) button.addEventListener(end, hold(false));
  button.addEventListener('keydown', (event) => {
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      hold(true)();
    }
  });
  button.addEventListener('keyup', hold(false));
}
$('peek-hint-ok').addEventListener('click', () => {
  localStorage.setItem(HINT_KEY, 'yes');
  $('peek-hint').hidden = true;
});

// The host's controls on the teacher's own phone: a QR code of this page's
// private link, shown only when asked for.
$('phone-controls').addEventListener('click', () => {
  const code = document.body.dataset.code;
  $('phone-qr').src = `/host/${encodeURIComponent(code)}/qr.svg`;
  $('phone-dialog').showModal();
});
$('phone-dialog-close').addEventListener('click', () => {
  $('phone-dialog').close();
  $('phone-qr').removeAttribute('src');
});

$('open-buzzers').addEventListener('click', () => send({ type: 'open_buzzers' }));
$('judge-right').addEventListener('click', () => send({ type: 'judge', correct: true }));
$('judge-wrong').addEventListener('click', () => send({ type: 'judge', correct: false }));
$('reveal').addEventListener('click', () => send({ type: 'reveal_answer' }));
$('close-clue').addEventListener('click', () => send({ type: 'close_clue' }));

// Keyboard shortcuts for the clue's controls, listed on the page. They act
// only through visible buttons, and never while typing in a field.
const SHORTCUTS = { o: 'open-buzzers', r: 'judge-right', w: 'judge-wrong', a: 'reveal', s: 'close-clue' };
document.addEventListener('keydown', (event) => {
  const target = event.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const id = SHORTCUTS[event.key.toLowerCase()];
  const button = id && $(id);
  if (!button || button.hidden || button.disabled || $('clue-panel').hidden) return;
  event.preventDefault();
  button.click();
});
$('start-final').addEventListener('click', () => {
  if (confirm(t('host.confirm_final'))) send({ type: 'start_final' });
});
// The bounds of every setting come from the server (the snapshot's
// `limits`); the forms offer them and say them, and the server checks.
const within = (value, min, max) => Number.isFinite(value) && value >= min && value <= max;
function applyLimits() {
  const limits = model.limits;
  if (!limits) return;
  const bound = (id, min, max) => Object.assign($(id), { min: String(min), max: String(max) });
  bound('final-seconds', limits.min_final_seconds, limits.max_final_seconds);
  bound('early-lockout', 0, limits.max_early_lockout_ms);
  bound('buzz-seconds', 0, limits.max_timer_seconds);
  bound('answer-seconds', 0, limits.max_timer_seconds);
  bound('dd-count', 0, limits.max_random_daily_doubles);
  bound('player-cap', 1, limits.max_players);
}

$('final-show').addEventListener('click', () => {
  const seconds = Math.trunc(Number($('final-seconds').value));
  const { min_final_seconds: min, max_final_seconds: max } = model.limits;
  if (!within(seconds, min, max)) {
    toast(t('host.final_seconds_range', { min, max }));
    return;
  }
  send({ type: 'show_final_clue', seconds });
});
$('final-close').addEventListener('click', () => send({ type: 'close_final_answers' }));
$('final-show-answer').addEventListener('click', () => send({ type: 'show_final_answer' }));
$('final-show-winner').addEventListener('click', () => send({ type: 'show_winner' }));
$('add-team-no-phones').addEventListener('click', () => {
  const name = $('team-name').value.trim();
  if (!name) {
    toast(t('host.team_name_needed'));
    return;
  }
  send({ type: 'add_team_without_phones', name });
  $('team-name').value = '';
});
// A Daily Double picked by a team without phones: the host types its wager.
$('host-wager-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const amount = Math.trunc(Number($('host-wager').value));
  if (!model.dailyDouble || !Number.isFinite(amount)) return;
  send({ type: 'wager_for', player: model.dailyDouble.player, amount });
});
$('team-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('team-name').value.trim();
  if (!name) return;
  send({ type: 'create_team', name });
  $('team-name').value = '';
});
$('wrong-costs').addEventListener('change', () => send({ type: 'set_wrong_costs_points', costs: $('wrong-costs').checked }));
$('text-filter').addEventListener('change', () => send({ type: 'set_text_filter', on: $('text-filter').checked }));
$('room-locked').addEventListener('change', () => send({ type: 'lock_room', locked: $('room-locked').checked }));
$('approval').addEventListener('change', () => send({ type: 'set_approval', on: $('approval').checked }));
$('teams-locked').addEventListener('change', () => send({ type: 'lock_teams', locked: $('teams-locked').checked }));
$('phone-sounds').addEventListener('change', () => send({ type: 'set_phone_sounds', on: $('phone-sounds').checked }));
$('scores-hidden').addEventListener('change', () => send({ type: 'set_scores_hidden', on: $('scores-hidden').checked }));
$('room-language').addEventListener('change', () => send({ type: 'set_language', language: $('room-language').value }));
$('undo').addEventListener('click', () => send({ type: 'undo' }));
$('place-dd').addEventListener('click', () => {
  const perRound = Math.trunc(Number($('dd-count').value));
  const max = model.limits.max_random_daily_doubles;
  if (!within(perRound, 0, max)) {
    toast(t('host.dd_range', { max }));
    return;
  }
  send({ type: 'place_daily_doubles', per_round: perRound });
});
$('end-game').addEventListener('click', () => {
  if (confirm(t('host.confirm_end'))) send({ type: 'end_game' });
});
$('next-round').addEventListener('click', () => {
  if (confirm(t('host.confirm_next_round'))) send({ type: 'next_round' });
});
$('media-play').addEventListener('click', () => send({ type: 'play_media', playing: true }));
$('media-pause').addEventListener('click', () => send({ type: 'play_media', playing: false }));
$('settings').addEventListener('submit', (event) => {
  event.preventDefault();
  const lockout = Math.trunc(Number($('early-lockout').value));
  const { max_early_lockout_ms: maxLockout, max_timer_seconds: maxTimer } = model.limits;
  if (!within(lockout, 0, maxLockout)) {
    toast(t('host.lockout_range', { max: maxLockout }));
    return;
  }
  send({ type: 'set_buzz_settings', mode: $('buzz-mode').value, early_lockout_ms: lockout });
  const buzzSeconds = Math.trunc(Number($('buzz-seconds').value));
  const answerSeconds = Math.trunc(Number($('answer-seconds').value));
  if (![buzzSeconds, answerSeconds].every((s) => within(s, 0, maxTimer))) {
    toast(t('host.timers_range', { max: maxTimer }));
    return;
  }
  send({ type: 'set_timers', buzz_seconds: buzzSeconds, answer_seconds: answerSeconds });
  toast(t('host.settings_saved'));
});

function render() {
  if (!model.board) return;
  applyLimits();
  renderFinal();
  renderGrid();
  renderClue();
  renderAudit();
  renderRoster();
  renderSettings();
}

let shownSettings = null;
function renderSettings() {
  // Only overwrite the form when the server's settings change, so a value
  // being typed is not lost.
  const key = JSON.stringify(model.settings);
  if (key === shownSettings) return;
  shownSettings = key;
  $('buzz-mode').value = model.settings.mode;
  $('early-lockout').value = model.settings.early_lockout_ms;
}

const ms = (value) => (value == null ? '–' : t('common.ms_value', { value: Math.round(value) }));

function renderAudit() {
  $('audit').replaceChildren(...model.audit.map((entry) => el('tr', {},
    el('td', {}, entry.position == null ? '–' : String(entry.position)),
    el('td', { translate: 'no' }, entry.name),
    el('td', {}, t(`host.verdict.${entry.verdict}`)),
    el('td', {}, ms(entry.claimed_ms)),
    el('td', {}, ms(entry.rtt_ms)),
    el('td', {}, ms(entry.elapsed_ms)),
    el('td', {}, entry.extra_ms ? t('host.forgiven_extra', { forgiven: ms(entry.compensation_ms), extra: ms(entry.extra_ms) }) : ms(entry.compensation_ms)))));
  const flags = [...model.flags.values()].filter((f) => model.players.has(f.player));
  $('bot-flags').hidden = flags.length === 0;
  $('bot-flag-list').replaceChildren(...flags.map((f) => el('li', {},
    el('span', { translate: 'no' }, f.name), ': ',
    t(`host.flag.${f.reason}`, { count: f.buzzes, median: Math.round(f.median_ms), spread: Math.round(f.spread_ms) }))));
}

function board0Played() {
  const board = model.board;
  return board.round > 0 || model.cleared || Boolean(model.final) || board.categories.some((c) => c.tiles.some((tile) => tile.played));
}

function renderGrid() {
  const grid = $('grid');
  const categories = model.board.categories;
  grid.style.setProperty('--columns', categories.length);
  const rows = Math.max(...categories.map((c) => c.tiles.length));
  const cells = categories.map((c) => el('div', { class: 'cell heading', translate: 'no' }, c.name));
  for (let row = 0; row < rows; row++) {
    categories.forEach((category, column) => {
      const tile = category.tiles[row];
      if (!tile) {
        cells.push(el('div', { class: 'cell empty' }));
        return;
      }
      // Only the host sees where the Daily Doubles are.
      const dd = tile.daily_double && !tile.played;
      cells.push(el('button', {
        class: `cell tile${tile.played ? ' played' : ''}${dd ? ' dd' : ''}`,
        dataset: { category: column, row },
        disabled: tile.played || model.clue !== null || model.cleared,
        title: dd ? t('host.dd_here') : null,
        'aria-label': tile.played
          ? t('host.tile_played', { category: category.name, value: tile.value })
          : `${t('host.tile', { category: category.name, value: tile.value })}${dd ? ` (${t('host.dd_here')})` : ''}`,
        onclick: () => send({ type: 'open_clue', category: column, row }),
      }, tile.played ? '✓' : dd ? `★ ${tile.value}` : String(tile.value)));
    });
  }
  grid.replaceChildren(...cells);
  $('cleared').hidden = !model.cleared;
  // Once the game is under way the join card makes room for the board.
  const begun = Boolean(model.clue) || board0Played();
  document.querySelector('.join-card').classList.toggle('compact', begun);
  $('end-game').hidden = model.cleared;
  const board = model.board;
  $('round-name').textContent = board.rounds > 1 ? t('host.round_of', { name: board.round_name, round: board.round + 1, count: board.rounds }) : '';
  const lastRound = board.round + 1 >= board.rounds;
  $('next-round').hidden = model.clue !== null || lastRound || model.final !== null;
  $('start-final').hidden = !(lastRound && board.has_final && model.clue === null && model.final === null);
  $('picker-line').hidden = !model.picker || model.cleared;
  $('picker-line').textContent = model.picker ? t('host.picks_next', { name: model.picker.name }) : '';
}

function renderClue() {
  const clue = model.clue;
  $('clue-panel').hidden = !clue;
  if (!clue) return;
  $('clue-category').textContent = clue.category_name;
  $('clue-value').textContent = clue.value;
  $('clue-text').textContent = clue.clue;
  const image = $('clue-image');
  image.hidden = !clue.image;
  if (clue.image && image.getAttribute('src') !== clue.image) image.src = clue.image;
  showAnswer(clue.answer, $('clue-answer'), $('clue-also'));
  // Once revealed everyone sees it: no need to hold.
  document.body.classList.toggle('answer-public', clue.revealed);
  $('peek').hidden = clue.revealed;
  $('peek-hint').hidden = clue.revealed || localStorage.getItem(HINT_KEY) === 'yes' || localStorage.getItem(ALWAYS_KEY) === 'on';
  $('answer-state').textContent = clue.revealed ? t('host.answer_showing') : t('host.answer_private');

  let answering = '';
  if (clue.answering) {
    answering = clue.daily_double && clue.wager != null
      ? t('host.answering_dd', { name: clue.answering.name, amount: clue.wager })
      : t('host.answering', { name: clue.answering.name });
  }
  const status = {
    wagering: clue.answering ? t('host.dd_wagering', { name: clue.answering.name }) : '',
    waiting: t('host.read_then_open'),
    open: t('host.buzzers_open'),
    answering,
    closed: clue.revealed ? t('host.answer_revealed') : t('host.buzzers_closed'),
  }[clue.buzzers];
  $('buzz-status').textContent = status;
  showTimer(clue.timer, $('clue-timer'));
  $('buzz-order').replaceChildren(...clue.buzz_order.map((p) => el('li', {}, p.name)));
  // After a wrong answer the buzz order starts again; who already tried stays in view.
  const tried = clue.tried.map((id) => model.players.get(id)?.name).filter(Boolean);
  $('tried-line').hidden = tried.length === 0;
  $('tried-line').textContent = t('host.already_tried', { names: tried.join(', ') });

  // Teams without phones: the host gives one the floor (it raised a hand),
  // and types the wager of one that picked a Daily Double.
  const triedIds = new Set(clue.tried);
  const floorable = [...model.players.values()].filter((p) => p.no_phone && !triedIds.has(p.id)
    && !(p.team != null && (clue.tried_teams || []).includes(p.team)));
  const mayGiveFloor = !clue.daily_double && !clue.revealed && (clue.buzzers === 'waiting' || clue.buzzers === 'open' || clue.buzzers === 'closed');
  $('floor-row').hidden = !(mayGiveFloor && floorable.length);
  $('floor-row').replaceChildren(...floorable.map((p) => el('button', {
    class: 'button small secondary give-floor',
    dataset: { player: p.id },
    onclick: () => send({ type: 'give_floor', player: p.id }),
  }, t('host.give_floor', { name: p.name }))));
  const dd = model.dailyDouble;
  const wagerFor = dd && clue.buzzers === 'wagering' ? model.players.get(dd.player) : null;
  $('host-wager-form').hidden = !(wagerFor && wagerFor.no_phone);
  if (wagerFor && wagerFor.no_phone) {
    $('host-wager-label').textContent = dd.min != null
      ? t('host.wager_for_between', { name: wagerFor.name, min: dd.min, max: dd.max })
      : t('host.wager_for', { name: wagerFor.name });
  }
  const open = clue.buzzers === 'open' || clue.buzzers === 'answering';
  $('open-buzzers').disabled = open || clue.revealed || clue.daily_double;
  $('judge-right').disabled = clue.buzzers !== 'answering';
  $('judge-wrong').disabled = clue.buzzers !== 'answering';
  $('reveal').disabled = clue.revealed;
  $('close-clue').textContent = clue.revealed ? t('host.back_to_board') : t('host.skip');
  const hasMedia = Boolean(clue.audio || clue.video);
  $('media-play').hidden = !hasMedia;
  $('media-pause').hidden = !hasMedia;
}

function renderFinal() {
  const final = model.final;
  $('final-panel').hidden = !final;
  if (!final) return;
  $('final-category').textContent = final.category;
  $('final-stage').textContent = t(`host.final_stage.${final.stage}`);
  $('final-clue').textContent = final.clue || t('host.final_clue_later');
  $('final-clue').setAttribute('translate', final.clue ? 'no' : 'yes');
  $('final-answer').textContent = final.answer ? final.answer.text : '';
  const finalPublic = ['answer_shown', 'over'].includes(final.stage);
  document.body.classList.toggle('final-public', finalPublic);
  $('final-peek').hidden = finalPublic || !final.answer;
  $('final-show-row').hidden = final.stage !== 'wagering';
  const everyone = final.players.length;
  $('final-close').hidden = !(final.stage === 'answering' && final.players.filter((p) => p.answered).length === everyone);
  $('final-show-answer').hidden = !(final.stage === 'judging' && final.players.filter((p) => p.correct != null).length === everyone);
  $('final-show-winner').hidden = final.stage !== 'answer_shown';
  showTimer(final.stage === 'answering' && final.ms_left != null ? ['final', final.ms_left] : null, $('final-timer'));
  $('final-players').replaceChildren(...final.players.map((p) => {
    const actions = [];
    // A team without phones: its wager and answer come from the host.
    const seat = model.players.get(p.id);
    if (seat && seat.no_phone && final.stage === 'wagering' && !p.wagered) {
      const amount = el('input', { type: 'number', step: '1', min: '0', class: 'adjust-amount', 'aria-label': t('host.final_wager_for', { name: p.name }) });
      actions.push(amount, el('button', { class: 'button small', onclick: () => send({ type: 'final_wager_for', player: p.id, amount: Math.trunc(Number(amount.value)) }) }, t('host.enter_wager')));
    }
    if (seat && seat.no_phone && final.stage === 'answering' && !p.answered) {
      const text = el('input', { type: 'text', maxlength: '200', 'aria-label': t('host.final_answer_for', { name: p.name }) });
      actions.push(text, el('button', { class: 'button small', onclick: () => send({ type: 'final_answer_for', player: p.id, text: text.value }) }, t('host.enter_answer')));
    }
    if (final.stage === 'judging' && !p.revealed) {
      actions.push(el('button', { class: 'button small', onclick: () => send({ type: 'reveal_final', player: p.id }) }, t('host.reveal_one')));
    }
    if (final.stage === 'judging' && p.revealed && p.correct == null) {
      actions.push(
        el('button', { class: 'button small good', onclick: () => send({ type: 'judge_final', player: p.id, correct: true }) }, t('host.right')),
        el('button', { class: 'button small bad', onclick: () => send({ type: 'judge_final', player: p.id, correct: false }) }, t('host.wrong')));
    }
    if (p.correct != null) actions.push(el('span', {}, p.correct ? `✔ ${t('board.right')}` : `✘ ${t('board.wrong')}`));
    return el('tr', { dataset: { player: p.id } },
      el('td', { class: 'player-name', translate: 'no' }, p.name),
      el('td', {}, p.wager == null ? (p.wagered ? t('host.in') : '…') : String(p.wager)),
      el('td', { class: 'final-answer-text', translate: p.answer == null ? 'yes' : 'no' }, p.answer == null ? (p.answered ? t('host.in') : '…') : p.answer),
      el('td', {}, ...actions));
  }));
}

// A phone that lost its connection is "away" for a while (asleep, changing
// networks), then "gone".
const GONE_AFTER_MS = 120000;
function presenceOf(p) {
  if (p.no_phone) return ['no-phone', t('host.no_phone')];
  if (p.online !== false) return ['online', t('host.online')];
  const away = Date.now() - (p.awaySince || Date.now());
  if (away >= GONE_AFTER_MS) return ['gone', t('host.gone')];
  return ['away', t('host.away', { count: Math.round(away / 1000) })];
}
// Away turns to gone with time alone.
setInterval(() => { if (model.board) renderRoster(); }, 15000);

// Extra reaction time the host can give a player, in milliseconds.
const EXTRA_TIMES = [0, 100, 200, 300, 500, 750, 1000];
// Time to answer the host can give a player: the usual, longer, no limit.
const ANSWER_TIMES = ['usual', '10', '20', '30', '60', 'none'];
function answerTimeValue(time) {
  if (!time || time.kind === 'usual') return 'usual';
  return time.kind === 'no_limit' ? 'none' : String(time.seconds);
}
function answerTimeOf(value) {
  if (value === 'usual') return { kind: 'usual' };
  if (value === 'none') return { kind: 'no_limit' };
  return { kind: 'longer', seconds: Number(value) };
}

let shownCap = null;
function renderCap() {
  // Only overwrite the field when the server's cap changes.
  if (model.playerCap === shownCap) return;
  shownCap = model.playerCap;
  $('player-cap').value = model.playerCap;
}

$('cap-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const max = Math.trunc(Number($('player-cap').value));
  if (!Number.isFinite(max) || max < 1) {
    toast(t('host.cap_needed'));
    return;
  }
  send({ type: 'set_player_cap', max });
});

// Players ticked in the roster, to remove several at once.
const selected = new Set();

function renderSelection() {
  for (const id of [...selected]) if (!model.players.has(id)) selected.delete(id);
  const button = $('remove-selected');
  button.hidden = selected.size === 0;
  button.textContent = t('host.remove_selected', { count: selected.size });
}

$('remove-selected').addEventListener('click', () => {
  const names = [...selected].map((id) => model.players.get(id)?.name).filter(Boolean);
  if (!names.length || !confirm(t('host.confirm_remove', { names: names.join(', ') }))) return;
  for (const id of selected) send({ type: 'remove_player', player: id });
  selected.clear();
  renderSelection();
});

$('refuse-all').addEventListener('click', () => send({ type: 'refuse_all_joins' }));

function renderJoinRequests() {
  $('approval').checked = model.approval;
  const requests = [...model.joinRequests.entries()];
  $('join-requests-box').hidden = requests.length === 0;
  $('join-requests').replaceChildren(...requests.map(([request, { name, held }]) => el('li', {},
    el('span', { translate: 'no' }, name), ' ',
    held ? el('span', { class: 'held-reason' }, t(`host.held.${held}`)) : null, ' ',
    el('button', { class: 'button small good', onclick: () => send({ type: 'answer_join', request, admit: true }) }, t('host.let_in')),
    ' ',
    el('button', { class: 'button small secondary', onclick: () => send({ type: 'answer_join', request, admit: false }) }, t('host.refuse')))));
}

function renderRoster() {
  renderCap();
  renderSelection();
  renderJoinRequests();
  $('room-locked').checked = model.locked;
  // Teams lock by themselves once the game begins; before, the host may.
  const begun = Boolean(model.clue) || model.board.round > 0 || model.board.categories.some((c) => c.tiles.some((tile) => tile.played));
  $('teams-locked-row').hidden = model.teams.size === 0;
  $('teams-locked').checked = model.teamsLocked;
  $('teams-locked').disabled = begun;
  $('team-list').replaceChildren(...model.teamStandings().map((team) => el('li', {}, `${team.name}: ${formatScore(team.score)}`)));
  const players = [...model.players.values()];
  $('player-count').textContent = players.length;
  $('roster').replaceChildren(...players.map((p) => {
    const amount = el('input', { type: 'number', step: '100', value: '100', class: 'adjust-amount', 'aria-label': t('host.points_for', { name: p.name }) });
    const adjust = (sign) => () => {
      const delta = sign * Math.trunc(Number(amount.value));
      if (!Number.isFinite(delta) || delta === 0) {
        toast(t('host.points_needed'));
        return;
      }
      send({ type: 'adjust_score', player: p.id, delta });
    };
    const [presence, presenceText] = presenceOf(p);
    const teamPicker = model.teams.size
      ? el('select', {
        class: 'team-select',
        'aria-label': t('host.team_of', { name: p.name }),
        onchange: (event) => send({ type: 'set_team', player: p.id, team: event.target.value ? Number(event.target.value) : null }),
      }, el('option', { value: '' }, t('host.no_team')),
      ...[...model.teams.values()].map((team) => el('option', { value: String(team.id), selected: p.team === team.id, translate: 'no' }, team.name)))
      : null;
    return el('tr', { dataset: { player: p.id, presence } },
      el('td', { class: 'player-name' },
        el('input', {
          type: 'checkbox',
          class: 'pick-player',
          title: t('host.select_title'),
          'aria-label': t('host.select', { name: p.name }),
          checked: selected.has(p.id),
          onchange: (event) => {
            if (event.target.checked) selected.add(p.id); else selected.delete(p.id);
            renderSelection();
          },
        }),
        el('span', { class: `presence ${presence}`, role: 'img', title: presenceText, 'aria-label': presenceText }),
        el('span', { translate: 'no' }, p.name), teamPicker),
      el('td', { class: 'player-score' }, formatScore(p.score)),
      el('td', { class: 'adjust' },
        el('button', { class: 'button small bad', onclick: adjust(-1), title: t('host.take_title'), 'aria-label': t('host.take_points', { name: p.name }) }, '−'),
        amount,
        el('button', { class: 'button small good', onclick: adjust(1), title: t('host.give_title'), 'aria-label': t('host.give_points', { name: p.name }) }, '+'),
        el('button', {
          class: `button small secondary picks${model.picker && model.picker.id === p.id ? ' current' : ''}`,
          'aria-label': t('host.make_picker', { name: p.name }),
          title: t('host.picker_title'),
          onclick: () => send({ type: 'set_picker', player: p.id }),
        }, '☆'),
        el('select', {
          class: 'extra-time',
          'aria-label': t('host.extra_for', { name: p.name }),
          title: t('host.extra_title'),
          onchange: (event) => send({ type: 'set_extra_time', player: p.id, ms: Number(event.target.value) }),
        }, ...EXTRA_TIMES.filter((ms) => ms <= model.limits.max_extra_ms).map((extra) => el('option', { value: String(extra), selected: (p.extra_ms || 0) === extra },
          extra ? t('host.extra_ms', { value: extra }) : t('host.no_extra')))),
        el('select', {
          class: 'extra-time answer-time',
          'aria-label': t('host.answer_time_for', { name: p.name }),
          title: t('host.answer_time_title'),
          onchange: (event) => send({ type: 'set_answer_time', player: p.id, time: answerTimeOf(event.target.value) }),
        }, ...ANSWER_TIMES.filter((value) => !/^\d+$/.test(value) || Number(value) <= model.limits.max_timer_seconds).map((value) => el('option', { value, selected: answerTimeValue(p.answer_time) === value },
          value === 'usual' ? t('host.answer_usual') : value === 'none' ? t('host.answer_no_limit') : t('host.answer_longer', { count: Number(value) })))),
        el('button', {
          class: 'button small secondary remove',
          title: t('host.remove_title'),
          'aria-label': t('host.remove', { name: p.name }),
          onclick: () => {
            if (confirm(t('host.confirm_remove', { names: p.name }))) send({ type: 'remove_player', player: p.id });
          },
        }, '✕')));
  }));
}
onLanguageChange(render);
