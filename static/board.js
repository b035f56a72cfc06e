// The projector view: the board, the open clue, who is answering, scores.
// It never receives an answer before the host reveals it.
import { $, el, connect, GameModel, showAnswer, formatScore, showTimer } from './common.js';
import { sounds } from './sound.js';

const SHOWN_SCORES = 10;
const model = new GameModel();
// The projector plays the show's sounds unless switched off.
const play = sounds('sound-switch', 'buzzboard:projector-sound', true);
const SOUND_OF = {
  buzzers_opened: 'open',
  answering: 'buzz',
  time_up: 'timeUp',
  daily_double: 'dailyDouble',
  game_over: 'podium',
};
connect(() => ({ role: 'board' }), (msg) => {
  if (msg.type === 'media_playback') {
    playback(msg.playing);
    return;
  }
  if (msg.type === 'judged') play(msg.correct ? 'right' : 'wrong');
  else if (SOUND_OF[msg.type]) play(SOUND_OF[msg.type]);
  if (model.apply(msg)) render();
});

function render() {
  renderFinal();
  renderGrid();
  renderClue();
  renderScores();
  renderLobby();
}

// Before the first clue: the code, the address and the QR code fill the
// screen, and names appear as students join.
function renderLobby() {
  const board = model.board;
  const started = model.clue || model.cleared || model.final
    || board.round > 0 || board.categories.some((c) => c.tiles.some((t) => t.played));
  $('lobby').hidden = Boolean(started);
  if (started) return;
  const names = [...model.players.values()].map((p) => p.name);
  $('lobby-count').textContent = names.length === 1 ? '1 player has joined' : `${names.length} players have joined`;
  $('lobby-names').replaceChildren(...names.slice(-60).map((name) => el('li', {}, name)));
}

function renderGrid() {
  const categories = model.board.categories;
  const grid = $('grid');
  grid.style.setProperty('--columns', categories.length);
  const rows = Math.max(...categories.map((c) => c.tiles.length));
  const cells = categories.map((c) => el('div', { class: 'cell heading' }, c.name));
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
  if (model.cleared && !clue) {
    $('podium').replaceChildren(...(model.teams.size
      ? model.teamStandings().map((t) => el('li', {}, el('span', { class: 'player-name' }, t.name), el('span', { class: 'player-score' }, formatScore(t.score))))
      : model.standings().slice(0, SHOWN_SCORES).map(scoreItem)));
    $('final-round').hidden = true;
  }
  $('daily-double').hidden = !(clue && clue.daily_double);
  if (clue && clue.daily_double && clue.answering) {
    $('daily-double').textContent = clue.wager == null
      ? `Daily Double! ${clue.answering.name} is wagering…`
      : `Daily Double! ${clue.answering.name} wagered ${clue.wager}`;
  }
  if (!clue) return;
  $('clue-category').textContent = clue.category_name;
  $('clue-value').textContent = clue.value;
  $('clue-text').textContent = clue.clue;
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
    open: 'Buzzers open!',
    answering: clue.answering ? `${clue.answering.name} is answering` : '',
    closed: '',
  }[clue.buzzers];
  const judgement = model.lastJudgement;
  const verdict = $('judgement');
  verdict.hidden = !judgement;
  if (judgement) {
    const points = judgement.delta === 0 ? 'no points' : `${judgement.delta > 0 ? '+' : '−'}${Math.abs(judgement.delta)}`;
    verdict.dataset.correct = String(judgement.correct);
    verdict.textContent = `${judgement.correct ? '✓' : '✗'} ${judgement.name}: ${judgement.correct ? 'right' : 'wrong'}, ${points} (now ${formatScore(judgement.score)})`;
  }
  // The scores stay in view while a clue is up.
  $('overlay-scores').replaceChildren(...model.standings().slice(0, 5).map((p) => el('li', {}, `${p.name} ${formatScore(p.score)}`)));
  $('answer-box').hidden = !clue.revealed;
  $('clue-overlay').classList.toggle('revealed', clue.revealed);
  showAnswer(clue.revealed ? clue.answer : null, $('clue-answer'), $('clue-also'));
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
      $('buzz-status').textContent = 'Click this page once to allow sound, then press play again.';
    });
  } else {
    media.pause();
  }
}

function scoreItem(p) {
  return el('li', { dataset: { player: p.id } },
    el('span', { class: 'player-name' }, p.name),
    el('span', { class: 'player-score' }, formatScore(p.score)));
}

function renderFinal() {
  const final = model.final;
  $('final-round').hidden = !final || model.cleared;
  if (!final) return;
  $('final-category').textContent = final.category;
  $('final-clue').textContent = final.clue || 'Players with points: wager on your phones!';
  showTimer(final.stage === 'answering' && final.ms_left != null ? ['final', final.ms_left] : null, $('final-timer'));
  const waiting = final.players.filter((p) => (final.stage === 'wagering' ? !p.wagered : !p.answered)).length;
  $('final-status').textContent = {
    wagering: `${final.players.length - waiting} of ${final.players.length} wagers in`,
    answering: `${final.players.length - waiting} of ${final.players.length} answers in`,
    judging: 'Time is up!',
    over: '',
  }[final.stage] || '';
  $('final-revealed').replaceChildren(...final.players.filter((p) => p.revealed).map((p) =>
    el('li', { class: p.correct == null ? '' : p.correct ? 'right' : 'wrong' },
      el('span', { class: 'player-name' }, p.name), ': ',
      el('span', { class: 'final-answer-text' }, p.answer || '(no answer)'),
      ` — wagered ${p.wager ?? 0}`)));
}

function renderScores() {
  $('picker-line').textContent = model.picker && !model.cleared ? `${model.picker.name} picks next` : '';
  if (model.teams.size) {
    $('player-count').textContent = model.teams.size;
    $('scoreboard').replaceChildren(...model.teamStandings().map((t) =>
      el('li', { dataset: { team: t.id } }, el('span', { class: 'player-name' }, t.name), el('span', { class: 'player-score' }, formatScore(t.score)))));
    return;
  }
  const standings = model.standings();
  $('player-count').textContent = standings.length;
  $('scoreboard').replaceChildren(...standings.slice(0, SHOWN_SCORES).map(scoreItem));
}
