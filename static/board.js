// The projector view: the board, the open clue, who is answering, scores.
// It never receives an answer before the host reveals it.
import { $, el, connect, GameModel, showAnswer, formatScore, showTimer, placesOf } from './common.js';
import { sounds } from './sound.js';
import { readAloud } from './speech.js';
import { t, roomLanguage, onLanguageChange } from './i18n.js';

const SHOWN_SCORES = 10;
const model = new GameModel();
// The projector plays the show's sounds unless switched off.
const play = sounds('sound-switch', 'buzzboard:projector-sound', true);
const say = readAloud('read-switch', 'buzzboard:projector-read');
let spoken = ''; // the clue text last read aloud
const SOUND_OF = {
  buzzers_opened: 'open',
  answering: 'buzz',
  time_up: 'timeUp',
  daily_double: 'dailyDouble',
  game_over: 'podium',
};
// When the game ended while this page watched: the winner is shown first,
// then the podium rises. A page that loads later goes straight to the podium.
const WINNER_MS = 4000;
let winnerFrom = null;
// A round's title card, shown for a moment when a new round begins.
const ROUND_CARD_MS = 5000;
let roundCardUntil = 0;
let previousValues = null;
connect(() => ({ role: 'board' }), (msg) => {
  if (msg.type === 'round_started') {
    previousValues = model.board ? tileValues(model.board) : null;
    roundCardUntil = Date.now() + ROUND_CARD_MS;
    setTimeout(render, ROUND_CARD_MS + 50);
  }
  if (msg.type === 'game_over') {
    winnerFrom = Date.now();
    setTimeout(render, WINNER_MS + 50);
  }
  if (msg.type === 'media_playback') {
    playback(msg.playing);
    return;
  }
  if (msg.type === 'judged') play(msg.correct ? 'right' : 'wrong');
  else if (SOUND_OF[msg.type]) play(SOUND_OF[msg.type]);
  if (msg.type === 'snapshot' || msg.type === 'language') roomLanguage(msg.language).then(render);
  if (model.apply(msg)) render();
});
onLanguageChange(render);

function render() {
  if (!model.board) return;
  // Hidden scores (a review round): style.css takes every total off screen.
  document.body.classList.toggle('scores-hidden', model.scoresHidden);
  renderRoundCard();
  renderFinal();
  renderGrid();
  renderClue();
  renderScores();
  renderLobby();
}

function tileValues(board) {
  const values = board.categories.flatMap((c) => c.tiles.map((tile) => tile.value));
  return values.length ? [Math.min(...values), Math.max(...values)] : null;
}

// Between rounds: the round's number and name, and its values (doubled,
// when they are), for a moment or until the first clue opens.
function renderRoundCard() {
  const board = model.board;
  const shown = Date.now() < roundCardUntil && !model.clue && !model.final && !model.cleared;
  $('round-card').hidden = !shown;
  if (!shown) return;
  $('round-card-title').textContent = t('board.round_number', { round: board.round + 1 });
  $('round-card-name').textContent = board.round_name;
  const values = tileValues(board);
  const doubled = values && previousValues && values[0] === 2 * previousValues[0] && values[1] === 2 * previousValues[1];
  $('round-card-values').textContent = values
    ? t(doubled ? 'board.values_doubled' : 'board.values', { min: values[0], max: values[1] })
    : '';
}

// The team a player plays for, if any.
function teamOf(playerId) {
  const player = model.players.get(playerId);
  const team = player && player.team != null ? model.teams.get(player.team) : null;
  return team ? team.name : null;
}

// Before the first clue: the code, the address and the QR code fill the
// screen, and names appear as students join.
function renderLobby() {
  const board = model.board;
  const started = model.clue || model.cleared || model.final
    || board.round > 0 || board.categories.some((c) => c.tiles.some((t) => t.played));
  $('lobby').hidden = Boolean(started);
  if (started) return;
  const players = [...model.players.values()];
  $('lobby-count').textContent = t('board.lobby_count', { count: players.length });
  if (model.teams.size) {
    // A team game: each team with who is in it so far.
    const rows = [...model.teams.values()].map((team) => el('li', { class: 'lobby-team' },
      el('strong', {}, team.name), ': ',
      players.filter((p) => p.team === team.id).map((p) => p.name).join(', ') || '…'));
    const loose = players.filter((p) => p.team == null).map((p) => p.name);
    if (loose.length) rows.push(el('li', { class: 'lobby-team' }, el('strong', {}, t('board.no_team_yet')), ': ', loose.slice(-30).join(', ')));
    $('lobby-names').replaceChildren(...rows);
    return;
  }
  $('lobby-names').replaceChildren(...players.slice(-60).map((p) => el('li', {}, p.name)));
}

function renderGrid() {
  const categories = model.board.categories;
  const grid = $('grid');
  grid.style.setProperty('--columns', categories.length);
  const rows = Math.max(...categories.map((c) => c.tiles.length));
  grid.style.setProperty('--rows', rows);
  const cells = categories.map((c) => el('div', { class: 'cell heading', translate: 'no' }, c.name));
  for (let row = 0; row < rows; row++) {
    for (const category of categories) {
      const tile = category.tiles[row];
      cells.push(tile
        ? el('div', { class: `cell tile${tile.played ? ' played' : ''}` }, tile.played ? '' : String(tile.value))
        : el('div', { class: 'cell empty' }));
    }
  }
  grid.replaceChildren(...cells);
  const board = model.board;
  $('round-name').textContent = board.rounds > 1 ? `· ${board.round_name}` : '';
}

function renderClue() {
  const clue = model.clue;
  $('clue-overlay').hidden = !clue;
  $('final-overlay').hidden = !(model.cleared && !clue);
  if (model.cleared && !clue) renderPodium();
  if (!clue) return;
  // A Daily Double is staged as on TV: the splash, the category and value,
  // who plays it; the clue itself only once the wager is in.
  const wagering = Boolean(clue.daily_double && clue.wager == null);
  $('clue-overlay').classList.toggle('dd-wagering', wagering);
  $('dd-splash').hidden = !wagering;
  $('daily-double').hidden = !(clue.daily_double && !wagering);
  if (wagering) {
    $('dd-splash-meta').textContent = `${clue.category_name} · ${clue.value}`;
    $('dd-splash-who').textContent = clue.answering ? t('board.dd_wagering', { name: clue.answering.name }) : '';
  } else if (clue.daily_double && clue.answering) {
    $('daily-double').textContent = t('board.dd_wagered', { name: clue.answering.name, amount: clue.wager });
  }
  $('clue-category').textContent = clue.category_name;
  $('clue-value').textContent = clue.value;
  $('clue-text').textContent = clue.clue;
  if (clue.clue && spoken !== clue.clue) {
    spoken = clue.clue;
    say(clue.clue);
  }
  const image = $('clue-image');
  image.hidden = !clue.image;
  if (clue.image && image.getAttribute('src') !== clue.image) image.src = clue.image;
  renderMedia(clue);
  showTimer(clue.timer, $('clue-timer'));
  const status = $('buzz-status');
  status.dataset.state = clue.buzzers;
  status.textContent = {
    wagering: '',
    waiting: '',
    open: t('board.buzzers_open'),
    answering: clue.answering && !clue.daily_double
      ? (teamOf(clue.answering.id) && teamOf(clue.answering.id) !== clue.answering.name
        ? t('board.answering_team', { name: clue.answering.name, team: teamOf(clue.answering.id) })
        : t('board.answering', { name: clue.answering.name }))
      : '',
    closed: '',
  }[clue.buzzers];
  const judgement = model.lastJudgement;
  const verdict = $('judgement');
  verdict.hidden = !judgement;
  if (judgement) {
    const points = judgement.delta === 0 ? t('common.no_points') : `${judgement.delta > 0 ? '+' : '−'}${Math.abs(judgement.delta)}`;
    verdict.dataset.correct = String(judgement.correct);
    verdict.textContent = model.scoresHidden
      ? t(judgement.correct ? 'common.judged_right' : 'common.judged_wrong', { name: judgement.name, points })
      : t(judgement.correct ? 'board.judged_right' : 'board.judged_wrong', { name: judgement.name, points, score: formatScore(judgement.score) });
  }
  // The scores stay in view while a clue is up.
  $('overlay-scores').replaceChildren(...model.standings().slice(0, 5).map((p) =>
    el('li', {}, el('span', { translate: 'no' }, p.name), ` ${formatScore(p.score)}`)));
  $('answer-box').hidden = !clue.revealed;
  $('clue-overlay').classList.toggle('revealed', clue.revealed);
  showAnswer(clue.revealed ? clue.answer : null, $('clue-answer'), $('clue-also'));
}

// Who finished where: teams in a team game, else players; with the places
// the server gave them (equal scores share a place).
function finalPlaces() {
  const end = model.standingsAtEnd;
  if (end) return end.teams && end.teams.length ? end.teams : end.leaders;
  const sorted = model.teams.size
    ? model.teamStandings().map((team) => ({ id: team.id, name: team.name, score: team.score }))
    : model.standings();
  return placesOf(sorted).map((rank, i) => ({ ...sorted[i], rank })).slice(0, SHOWN_SCORES);
}

// The end of the show: first the winner (or the winners, tied), then the
// top three rise onto a podium (still, for those who asked their system
// for less motion), the rest listed below with their places.
function renderPodium() {
  const ranked = finalPlaces();
  const showWinner = winnerFrom !== null && Date.now() - winnerFrom < WINNER_MS;
  $('winner').hidden = !showWinner;
  $('podium-stage').hidden = showWinner;
  const winners = ranked.filter((p) => p.rank === 1);
  $('winner-title').textContent = t(winners.length > 1 ? 'board.winners' : 'board.winner');
  $('winner-names').textContent = winners.map((p) => p.name).join(' · ');
  $('winner-score').textContent = winners.length ? formatScore(winners[0].score) : '';
  const key = ranked.map((p) => `${p.id}:${p.score}:${p.rank}`).join('|');
  if ($('podium-blocks').dataset.key === key) return;
  $('podium-blocks').dataset.key = key;
  // Second, first, third, as a podium stands.
  const places = [[1, 'second'], [0, 'first'], [2, 'third']].filter(([i]) => ranked[i]);
  $('podium-blocks').replaceChildren(...places.map(([i, place]) =>
    el('div', { class: `podium-place ${place}`, dataset: { order: String(i) } },
      el('span', { class: 'podium-name', translate: 'no' }, ranked[i].name),
      el('span', { class: 'podium-score' }, formatScore(ranked[i].score)),
      el('span', { class: 'podium-block' }, el('span', { class: 'podium-rank' }, t('board.place', { rank: ranked[i].rank }))))));
  $('podium').replaceChildren(...ranked.slice(3, SHOWN_SCORES).map((p) =>
    el('li', {},
      el('span', { class: 'place' }, t('board.list_place', { rank: p.rank })),
      el('span', { class: 'player-name', translate: 'no' }, p.name),
      el('span', { class: 'player-score' }, formatScore(p.score)))));
  $('final-round').hidden = true;
}

// The clue's sound or video, played and paused by the host.
function renderMedia(clue) {
  const box = $('clue-media');
  const src = clue.video || clue.audio;
  const current = box.firstElementChild;
  if (!src) {
    box.replaceChildren();
    return;
  }
  if (current && current.getAttribute('src') === src) return;
  const tag = clue.video ? 'video' : 'audio';
  box.replaceChildren(el(tag, { src, preload: 'auto', playsinline: true, class: `clue-${tag}` }));
}

function playback(playing) {
  const media = $('clue-media').firstElementChild;
  if (!media) return;
  if (playing) {
    media.play().catch(() => {
      $('buzz-status').textContent = t('board.allow_sound');
    });
  } else {
    media.pause();
  }
}

function scoreItem(p) {
  return el('li', { dataset: { player: p.id } },
    el('span', { class: 'player-name', translate: 'no' }, p.name),
    el('span', { class: 'player-score' }, formatScore(p.score)));
}

// The Final, staged: its category while the wagers come in, then the clue
// with its clock, then each answer and wager as the host reveals them.
function renderFinal() {
  const final = model.final;
  $('final-round').hidden = !final || model.cleared;
  if (!final) return;
  $('final-round').dataset.stage = final.stage;
  $('final-category').textContent = final.category;
  const clue = $('final-clue');
  clue.textContent = final.clue || t('board.final_wager_now');
  clue.setAttribute('translate', final.clue ? 'no' : 'yes');
  if (final.clue && spoken !== final.clue) {
    spoken = final.clue;
    say(final.clue);
  }
  showTimer(final.stage === 'answering' && final.ms_left != null ? ['final', final.ms_left] : null, $('final-timer'));
  const total = final.players.length;
  const wagers = final.players.filter((p) => p.wagered).length;
  const answers = final.players.filter((p) => p.answered).length;
  $('final-status').textContent = {
    wagering: t('board.final_wagers_in', { done: wagers, count: total }),
    answering: t('board.final_answers_in', { done: answers, count: total }),
    judging: answers === total ? t('board.all_answers_in') : t('board.time_up'),
    answer_shown: '',
    over: '',
  }[final.stage] || '';
  const correct = final.stage === 'answer_shown' && final.answer;
  $('final-correct').hidden = !correct;
  $('final-correct-text').textContent = correct ? final.answer.text : '';
  $('final-revealed').replaceChildren(...final.players.filter((p) => p.revealed).map((p) =>
    el('li', { class: p.correct == null ? '' : p.correct ? 'right' : 'wrong' },
      p.correct == null ? '' : el('span', { class: 'mark', 'aria-hidden': 'true' }, p.correct ? '✓ ' : '✗ '),
      el('span', { class: 'player-name', translate: 'no' }, p.name), ': ',
      el('span', { class: 'final-answer-text', translate: 'no' }, p.answer || t('board.no_answer')),
      ` — ${t('board.wagered', { amount: p.wager ?? 0 })}`,
      p.correct == null ? '' : ` (${t(p.correct ? 'board.right' : 'board.wrong')})`)));
}

function renderScores() {
  $('picker-line').textContent = model.picker && !model.cleared ? t('board.picks_next', { name: model.picker.name }) : '';
  if (model.teams.size) {
    $('player-count').textContent = model.teams.size;
    const players = [...model.players.values()];
    $('scoreboard').replaceChildren(...model.teamStandings().map((team) =>
      el('li', { dataset: { team: team.id } },
        el('span', { class: 'player-name', translate: 'no' }, team.name,
          team.no_phone ? null : el('span', { class: 'members' }, players.filter((p) => p.team === team.id).map((p) => p.name).join(', '))),
        el('span', { class: 'player-score' }, formatScore(team.score)))));
    return;
  }
  const standings = model.standings();
  $('player-count').textContent = standings.length;
  $('scoreboard').replaceChildren(...standings.slice(0, SHOWN_SCORES).map(scoreItem));
}
