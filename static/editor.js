// The board editor: categories as columns, clues as rows. Everything the
// teacher types is put in the page as form values or text, never as HTML.
import { $, el } from './common.js';

const key = document.body.dataset.key;
const opened = document.body.dataset.board;
let board = {
  id: null, source: null, editable: false, title: '', description: '',
  categories: [{ name: '', clues: [emptyClue(100)] }],
};

function emptyClue(value) {
  return { value, clue: '', answer: '', also_accept: [], image: null, audio: null, video: null, answer_image: null, daily_double: false };
}

function status(text) {
  $('editor-error').hidden = true;
  $('editor-status').textContent = text;
  $('editor-status').hidden = !text;
}

function problem(text) {
  $('editor-status').hidden = true;
  $('editor-error').textContent = text;
  $('editor-error').hidden = false;
}

async function api(path, options = {}) {
  const response = await fetch(`${path}${path.includes('?') ? '&' : '?'}key=${encodeURIComponent(key)}`, options);
  const body = await response.json().catch(() => ({ error: `The server answered ${response.status}.` }));
  if (!response.ok) throw new Error(body.error || `The server answered ${response.status}.`);
  return body;
}

function nextValue(clues) {
  const top = clues.reduce((max, c) => Math.max(max, Number(c.value) || 0), 0);
  return top + 100;
}

function clueCard(category, clue, index) {
  const field = (label, node) => el('label', { class: 'field' }, label, node);
  const value = el('input', { type: 'number', min: '1', step: '100', value: String(clue.value), class: 'clue-value' });
  value.addEventListener('input', () => { clue.value = Math.trunc(Number(value.value)); renderPreview(); });
  const text = el('textarea', { rows: '2', class: 'clue-text-input', maxlength: '1000' });
  text.value = clue.clue;
  text.addEventListener('input', () => { clue.clue = text.value; });
  const answer = el('textarea', { rows: '2', class: 'clue-answer-input', maxlength: '1000' });
  answer.value = clue.answer;
  answer.addEventListener('input', () => { clue.answer = answer.value; });
  const dd = el('input', { type: 'checkbox', class: 'clue-dd-input' });
  dd.checked = Boolean(clue.daily_double);
  dd.addEventListener('change', () => { clue.daily_double = dd.checked; renderPreview(); });
  const also = el('input', { class: 'clue-also-input', placeholder: 'other answers, separated by |' });
  also.value = clue.also_accept.join(' | ');
  also.addEventListener('input', () => { clue.also_accept = also.value.split('|').map((a) => a.trim()).filter(Boolean); });

  const picture = el('div', { class: 'picture' });
  const showPicture = () => {
    const attached = [['image', 'Picture'], ['audio', 'Sound'], ['video', 'Video'], ['answer_image', 'Answer picture']]
      .filter(([field]) => clue[field]);
    const preview = clue.image && board.source && !clue.fresh ? `/media/${board.source}/${clue.image}?key=${encodeURIComponent(key)}` : null;
    picture.replaceChildren(...[
      attached.length ? null : el('span', { class: 'hint' }, 'Nothing attached'),
      ...attached.map(([field, label]) => el('span', { class: 'picture-name' },
        `${label}: ${clue[field].replace(/^media\//, '')} `,
        el('button', { type: 'button', class: 'button small secondary', onclick: () => { clue[field] = null; showPicture(); } }, 'Remove'))),
      preview ? el('img', { src: preview, alt: '', class: 'thumb' }) : null,
    ].filter(Boolean));
  };
  showPicture();
  // One upload button for the clue's picture, sound or video (the server
  // says which it is), and one for a picture shown with the answer.
  const upload = (forAnswer) => {
    const input = el('input', {
      type: 'file',
      accept: forAnswer ? 'image/*' : 'image/*,audio/mpeg,audio/ogg,audio/wav,video/mp4,video/webm',
      class: forAnswer ? 'clue-answer-image-input' : 'clue-image-input',
      'aria-label': forAnswer ? 'Picture shown with the answer' : 'Picture, sound or video for this clue',
    });
    input.addEventListener('change', async () => {
      const chosen = input.files[0];
      if (!chosen) return;
      try {
        status('Uploading…');
        const body = await api(`/api/media?filename=${encodeURIComponent(chosen.name)}`, { method: 'POST', body: await chosen.arrayBuffer() });
        if (forAnswer && body.kind !== 'image') throw new Error('The answer can only have a picture.');
        if (forAnswer) clue.answer_image = body.path;
        else Object.assign(clue, { image: null, audio: null, video: null, [body.kind]: body.path });
        clue.fresh = true;
        showPicture();
        status('Attached.');
      } catch (e) {
        problem(e.message);
      }
    });
    return input;
  };
  const file = upload(false);
  const answerFile = upload(true);

  return el('div', { class: 'clue-card' },
    el('div', { class: 'clue-card-head' }, field('Value', value),
      el('button', { type: 'button', class: 'button small bad', 'aria-label': 'Remove this clue',
        onclick: () => { category.clues.splice(index, 1); render(); } }, '✕')),
    field('Clue', text),
    field('Answer', answer),
    field('Also accept', also),
    el('label', { class: 'check' }, dd, ' Daily Double (only the player who picks it plays, for a wager)'),
    el('div', { class: 'field' }, 'Picture, sound or video', picture, file),
    el('div', { class: 'field' }, 'Picture with the answer', answerFile));
}

function render() {
  $('board-title').value = board.title;
  $('board-description').value = board.description;
  $('categories').replaceChildren(...board.categories.map((category, index) => {
    const name = el('input', { class: 'category-name', placeholder: 'Category name', maxlength: '60' });
    name.value = category.name;
    name.addEventListener('input', () => { category.name = name.value; renderPreview(); });
    return el('section', { class: 'card editor-column' },
      el('div', { class: 'clue-card-head' }, name,
        el('button', { type: 'button', class: 'button small bad', 'aria-label': 'Remove this category',
          onclick: () => { board.categories.splice(index, 1); render(); } }, '✕')),
      ...category.clues.map((clue, i) => clueCard(category, clue, i)),
      el('button', { type: 'button', class: 'button small secondary add-clue',
        onclick: () => { category.clues.push(emptyClue(nextValue(category.clues))); render(); } }, '+ Clue'));
  }));
  renderPreview();
}

function renderPreview() {
  const grid = $('preview');
  grid.style.setProperty('--columns', Math.max(1, board.categories.length));
  const rows = Math.max(0, ...board.categories.map((c) => c.clues.length));
  const cells = board.categories.map((c) => el('div', { class: 'cell heading' }, c.name || '…'));
  for (let row = 0; row < rows; row++) {
    for (const category of board.categories) {
      const clue = category.clues[row];
      cells.push(clue
        ? el('div', { class: 'cell tile' }, clue.daily_double ? `★ ${clue.value}` : String(clue.value))
        : el('div', { class: 'cell empty' }));
    }
  }
  grid.replaceChildren(...cells);
}

$('board-title').addEventListener('input', () => { board.title = $('board-title').value; });
$('board-description').addEventListener('input', () => { board.description = $('board-description').value; });
$('add-category').addEventListener('click', () => {
  board.categories.push({ name: '', clues: [emptyClue(100)] });
  render();
});

async function save() {
  status('Saving…');
  const saved = await api('/api/editor', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(board),
  });
  board.id = saved.id;
  board.editable = true;
  status(`Saved “${saved.title}” (${saved.clues} clues).`);
  return saved;
}

$('save').addEventListener('click', () => save().catch((e) => problem(e.message)));
$('save-play').addEventListener('click', async () => {
  try {
    const saved = await save();
    const room = await api('/api/rooms', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ board: saved.id }),
    });
    location.href = room.host_url;
  } catch (e) {
    problem(e.message);
  }
});

async function start() {
  if (opened) {
    try {
      board = await api(`/api/editor/${encodeURIComponent(opened)}`);
      if (!board.editable) {
        $('editor-origin').textContent = 'This board ships with the server and cannot be changed: saving makes your own copy.';
        $('editor-origin').hidden = false;
      }
    } catch (e) {
      problem(e.message);
    }
  }
  render();
}
start();
