// The board editor: categories as columns, clues as rows. Everything the
// teacher types is put in the page as form values or text, never as HTML.
import { $, el } from './common.js';

const key = document.body.dataset.key;
const opened = document.body.dataset.board;
let board = {
  id: null, source: null, editable: false, title: '', description: '',
  categories: [{ name: '', clues: [{ value: 100, clue: '', answer: '', also_accept: [], image: null }] }],
};

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
  const also = el('input', { class: 'clue-also-input', placeholder: 'other answers, separated by |' });
  also.value = clue.also_accept.join(' | ');
  also.addEventListener('input', () => { clue.also_accept = also.value.split('|').map((a) => a.trim()).filter(Boolean); });

  const picture = el('div', { class: 'picture' });
  const showPicture = () => {
    const preview = clue.image && board.source && !clue.fresh ? `/media/${board.source}/${clue.image}` : null;
    picture.replaceChildren(...[
      clue.image ? el('span', { class: 'picture-name' }, clue.image.replace(/^media\//, '')) : el('span', { class: 'hint' }, 'No picture'),
      preview ? el('img', { src: preview, alt: '', class: 'thumb' }) : null,
      clue.image ? el('button', { type: 'button', class: 'button small secondary', onclick: () => { clue.image = null; showPicture(); } }, 'Remove picture') : null,
    ].filter(Boolean));
  };
  showPicture();
  const file = el('input', { type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp,image/svg+xml', class: 'clue-image-input' });
  file.addEventListener('change', async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    try {
      status('Uploading the picture…');
      const body = await api(`/api/media?filename=${encodeURIComponent(chosen.name)}`, { method: 'POST', body: await chosen.arrayBuffer() });
      clue.image = body.image;
      clue.fresh = true;
      showPicture();
      status('Picture attached.');
    } catch (e) {
      problem(e.message);
    }
  });

  return el('div', { class: 'clue-card' },
    el('div', { class: 'clue-card-head' }, field('Value', value),
      el('button', { type: 'button', class: 'button small bad', 'aria-label': 'Remove this clue',
        onclick: () => { category.clues.splice(index, 1); render(); } }, '✕')),
    field('Clue', text),
    field('Answer', answer),
    field('Also accept', also),
    el('div', { class: 'field' }, 'Picture', picture, file));
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
        onclick: () => { category.clues.push({ value: nextValue(category.clues), clue: '', answer: '', also_accept: [], image: null }); render(); } }, '+ Clue'));
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
      cells.push(clue ? el('div', { class: 'cell tile' }, String(clue.value)) : el('div', { class: 'cell empty' }));
    }
  }
  grid.replaceChildren(...cells);
}

$('board-title').addEventListener('input', () => { board.title = $('board-title').value; });
$('board-description').addEventListener('input', () => { board.description = $('board-description').value; });
$('add-category').addEventListener('click', () => {
  board.categories.push({ name: '', clues: [{ value: 100, clue: '', answer: '', also_accept: [], image: null }] });
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
    const response = await fetch('/api/rooms', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ board: saved.id }),
    });
    const room = await response.json();
    if (!response.ok) throw new Error(room.error || 'The game could not be started.');
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
