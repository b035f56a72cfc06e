// The board editor: rounds of categories (columns) and clues (rows), and
// the Final. Everything the teacher types is put in the page as form values
// or text, never as HTML. Unsaved changes are guarded against leaving the
// page; a problem the server finds is pointed at in the form.
import { $, el } from './common.js';
import { t, onLanguageChange } from './i18n.js';

const opened = document.body.dataset.board;
let board = {
  id: null, source: null, editable: false, title: '', description: '',
  rounds: [{ name: '', categories: [{ name: '', clues: [emptyClue(100)] }] }],
  final: null,
};
let round = 0; // the round on show
let dirty = false; // changes since the last save

function emptyClue(value) {
  return { value, clue: '', answer: '', also_accept: [], image: null, audio: null, video: null, answer_image: null, daily_double: false };
}

function changed() {
  dirty = true;
}

// Leaving with unsaved changes asks first (the browser words the question).
window.addEventListener('beforeunload', (event) => {
  if (!dirty) return;
  event.preventDefault();
  event.returnValue = '';
});

function status(text) {
  $('editor-error').hidden = true;
  $('editor-status').textContent = text;
  $('editor-status').hidden = !text;
}

// A problem the server found, in a teacher's words: no code-style quotes,
// a capital letter first.
function teacherWords(text) {
  const plain = String(text).replace(/`([^`]*)`/g, '$1').trim();
  return plain.charAt(0).toUpperCase() + plain.slice(1);
}

// Says what is wrong beside Save; when the server named a field, it is
// said there too (in view, focused) and here the page only points to it.
function problem(text, pointed = false) {
  $('editor-status').hidden = true;
  $('editor-error').textContent = pointed ? t('editor.fix_marked', { problem: teacherWords(text) }) : teacherWords(text);
  $('editor-error').hidden = false;
}

// A problem's mark goes as soon as the field is changed.
function clearMark(node) {
  node.classList.remove('in-error');
  node.querySelectorAll('[aria-invalid]').forEach((input) => input.removeAttribute('aria-invalid'));
  if (node.matches('[aria-invalid]')) node.removeAttribute('aria-invalid');
  node.querySelectorAll('.field-error').forEach((line) => line.remove());
}
document.addEventListener('input', (event) => {
  const marked = event.target.closest && event.target.closest('.in-error');
  if (!marked) return;
  clearMark(marked);
  if (!document.querySelector('.in-error')) $('editor-error').hidden = true;
});

class ApiProblem extends Error {
  constructor(message, place) {
    super(message);
    this.place = place;
  }
}

async function api(path, options = {}) {
  const response = await fetch(path, options);
  const fallback = t('common.server_answered', { status: response.status });
  const body = await response.json().catch(() => ({ error: fallback }));
  if (!response.ok) throw new ApiProblem(body.error || fallback, body.place);
  return body;
}

function nextValue(clues) {
  const top = clues.reduce((max, c) => Math.max(max, Number(c.value) || 0), 0);
  return top + 100;
}

// An uploaded file's name as the teacher chose it (the server stores it
// under a random prefix, which only the teacher's editor strips).
function shownName(path) {
  return path.replace(/^media\//, '').replace(/^[0-9a-zA-Z]{8}-/, '');
}

const field = (label, node, name) => el('label', { class: 'field', dataset: { field: name } }, label, node);

function clueCard(category, clue, index) {
  const value = el('input', { type: 'number', min: '1', step: '100', value: String(clue.value), class: 'clue-value' });
  value.addEventListener('input', () => { clue.value = Math.trunc(Number(value.value)); changed(); renderPreview(); });
  const text = el('textarea', { rows: '2', class: 'clue-text-input', maxlength: '1000' });
  text.value = clue.clue;
  text.addEventListener('input', () => { clue.clue = text.value; changed(); });
  const answer = el('textarea', { rows: '2', class: 'clue-answer-input', maxlength: '1000' });
  answer.value = clue.answer;
  answer.addEventListener('input', () => { clue.answer = answer.value; changed(); });
  const dd = el('input', { type: 'checkbox', class: 'clue-dd-input' });
  dd.checked = Boolean(clue.daily_double);
  dd.addEventListener('change', () => { clue.daily_double = dd.checked; changed(); renderPreview(); });
  const also = el('input', { class: 'clue-also-input', placeholder: t('editor.also_placeholder') });
  also.value = clue.also_accept.join(' | ');
  also.addEventListener('input', () => { clue.also_accept = also.value.split('|').map((a) => a.trim()).filter(Boolean); changed(); });

  const picture = el('div', { class: 'picture' });
  const showPicture = () => {
    const attached = [['image', 'editor.picture'], ['audio', 'editor.sound'], ['video', 'editor.video'], ['answer_image', 'editor.answer_picture']]
      .filter(([name]) => clue[name]);
    const preview = clue.image && board.source && !clue.fresh ? `/media/${board.source}/${clue.image}` : null;
    picture.replaceChildren(...[
      attached.length ? null : el('span', { class: 'hint' }, t('editor.nothing_attached')),
      ...attached.map(([name, label]) => el('span', { class: 'picture-name' },
        `${t(label)}: `, el('span', { translate: 'no' }, shownName(clue[name])), ' ',
        el('button', { type: 'button', class: 'button small secondary', onclick: () => { clue[name] = null; changed(); showPicture(); } }, t('editor.remove')))),
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
      'aria-label': forAnswer ? t('editor.upload_answer_picture') : t('editor.upload_media'),
    });
    input.addEventListener('change', async () => {
      const chosen = input.files[0];
      if (!chosen) return;
      try {
        status(t('editor.uploading'));
        const body = await api(`/api/media?filename=${encodeURIComponent(chosen.name)}`, { method: 'POST', body: await chosen.arrayBuffer() });
        if (forAnswer && body.kind !== 'image') throw new Error(t('editor.answer_picture_only'));
        if (forAnswer) clue.answer_image = body.path;
        else Object.assign(clue, { image: null, audio: null, video: null, [body.kind]: body.path });
        clue.fresh = true;
        changed();
        showPicture();
        status(t('editor.attached'));
      } catch (e) {
        problem(e.message);
      }
    });
    return input;
  };

  return el('div', { class: 'clue-card', dataset: { clue: index } },
    el('div', { class: 'clue-card-head' }, field(t('editor.value'), value, 'value'),
      el('button', { type: 'button', class: 'button small bad', 'aria-label': t('editor.remove_clue'),
        onclick: () => { category.clues.splice(index, 1); changed(); render(); } }, '✕')),
    field(t('editor.clue'), text, 'clue'),
    field(t('editor.answer'), answer, 'answer'),
    field(t('editor.also_accept'), also, 'also_accept'),
    el('label', { class: 'check', dataset: { field: 'daily_double' } }, dd, ' ', t('editor.daily_double')),
    el('div', { class: 'field', dataset: { field: 'image' } }, t('editor.media'), picture, upload(false)),
    el('div', { class: 'field', dataset: { field: 'answer_image' } }, t('editor.answer_media'), upload(true)));
}

function renderTabs() {
  $('round-tabs').replaceChildren(...board.rounds.map((r, i) => el('button', {
    type: 'button',
    role: 'tab',
    class: `button small ${i === round ? '' : 'secondary'}`,
    'aria-selected': String(i === round),
    onclick: () => { round = i; render(); },
  }, r.name.trim() || t('editor.round_n', { n: i + 1 }))));
  $('round-name').value = board.rounds[round].name;
  $('round-name').placeholder = t('editor.round_n', { n: round + 1 });
  $('remove-round').hidden = board.rounds.length < 2;
}

function renderFinal() {
  const final = board.final;
  $('has-final').checked = Boolean(final);
  $('final-fields').hidden = !final;
  if (!final) return;
  $('final-category').value = final.category;
  $('final-clue').value = final.clue;
  $('final-answer').value = final.answer;
  $('final-also').value = final.also_accept.join(' | ');
}

function render() {
  $('board-title').value = board.title;
  $('board-description').value = board.description;
  round = Math.min(round, board.rounds.length - 1);
  renderTabs();
  renderFinal();
  const categories = board.rounds[round].categories;
  $('categories').replaceChildren(...categories.map((category, index) => {
    const name = el('input', { class: 'category-name', placeholder: t('editor.category_name'), 'aria-label': t('editor.category_name'), maxlength: '60' });
    name.value = category.name;
    name.addEventListener('input', () => { category.name = name.value; changed(); renderPreview(); });
    return el('section', { class: 'card editor-column', dataset: { category: index } },
      el('div', { class: 'clue-card-head', dataset: { field: 'name' } }, name,
        el('button', { type: 'button', class: 'button small bad', 'aria-label': t('editor.remove_category'),
          onclick: () => { categories.splice(index, 1); changed(); render(); } }, '✕')),
      ...category.clues.map((clue, i) => clueCard(category, clue, i)),
      el('button', { type: 'button', class: 'button small secondary add-clue',
        onclick: () => { category.clues.push(emptyClue(nextValue(category.clues))); changed(); render(); } }, t('editor.add_clue')));
  }));
  renderPreview();
}

function renderPreview() {
  const categories = board.rounds[round].categories;
  const grid = $('preview');
  grid.style.setProperty('--columns', Math.max(1, categories.length));
  const rows = Math.max(0, ...categories.map((c) => c.clues.length));
  const cells = categories.map((c) => el('div', { class: 'cell heading', translate: 'no' }, c.name || '…'));
  for (let row = 0; row < rows; row++) {
    for (const category of categories) {
      const clue = category.clues[row];
      cells.push(clue
        ? el('div', { class: 'cell tile' }, clue.daily_double ? `★ ${clue.value}` : String(clue.value))
        : el('div', { class: 'cell empty' }));
    }
  }
  grid.replaceChildren(...cells);
}

// Shows the field the server found a problem in: its round, marked, in
// view, focused.
function pointAt(place, message = '') {
  document.querySelectorAll('.in-error').forEach(clearMark);
  if (!place) return false;
  let target = null;
  if (place.final) {
    const ids = { category: 'final-category', clue: 'final-clue', answer: 'final-answer', also_accept: 'final-also' };
    target = $(ids[place.field] || 'final-category')?.closest('.field') || $('final-card');
  } else if (place.category != null) {
    if (place.round != null && place.round !== round) {
      round = place.round;
      render();
    }
    const column = document.querySelector(`.editor-column[data-category="${place.category}"]`);
    const card = place.clue != null ? column?.querySelector(`.clue-card[data-clue="${place.clue}"]`) : column;
    target = card?.querySelector(`[data-field="${place.field}"]`) || card;
  } else if (place.field === 'title') {
    target = $('board-title').closest('.field');
  } else if (place.field === 'name' && place.round != null) {
    target = $('round-name').closest('.field');
  }
  if (!target) return false;
  target.classList.add('in-error');
  const input = target.matches('input, textarea') ? target : target.querySelector('input, textarea');
  const line = el('p', { class: 'field-error', id: 'field-error' }, teacherWords(message));
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', 'field-error');
    input.insertAdjacentElement('afterend', line);
  } else {
    target.append(line);
  }
  target.scrollIntoView({ block: 'center' });
  if (input) input.focus({ preventScroll: true });
  return true;
}

$('board-title').addEventListener('input', () => { board.title = $('board-title').value; changed(); });
$('board-description').addEventListener('input', () => { board.description = $('board-description').value; changed(); });
$('round-name').addEventListener('input', () => { board.rounds[round].name = $('round-name').value; changed(); renderTabs(); });
$('add-category').addEventListener('click', () => {
  board.rounds[round].categories.push({ name: '', clues: [emptyClue(100)] });
  changed();
  render();
});
$('add-round').addEventListener('click', () => {
  board.rounds.push({ name: '', categories: [{ name: '', clues: [emptyClue(200)] }] });
  round = board.rounds.length - 1;
  changed();
  render();
});
$('remove-round').addEventListener('click', () => {
  if (board.rounds.length < 2 || !confirm(t('editor.confirm_remove_round'))) return;
  board.rounds.splice(round, 1);
  changed();
  render();
});
$('has-final').addEventListener('change', () => {
  board.final = $('has-final').checked ? (board.final || { category: '', clue: '', answer: '', also_accept: [] }) : null;
  changed();
  renderFinal();
});
for (const [id, name] of [['final-category', 'category'], ['final-clue', 'clue'], ['final-answer', 'answer']]) {
  $(id).addEventListener('input', () => { board.final[name] = $(id).value; changed(); });
}
$('final-also').addEventListener('input', () => {
  board.final.also_accept = $('final-also').value.split('|').map((a) => a.trim()).filter(Boolean);
  changed();
});

async function save() {
  status(t('editor.saving'));
  pointAt(null);
  try {
    const saved = await api('/api/editor', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(board),
    });
    board.id = saved.id;
    board.editable = true;
    dirty = false;
    status(t('editor.saved', { title: saved.title, count: saved.clues }));
    return saved;
  } catch (e) {
    e.pointed = pointAt(e.place, e.message);
    throw e;
  }
}

$('save').addEventListener('click', () => save().catch((e) => problem(e.message, e.pointed)));
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
    problem(e.message, e.pointed);
  }
});

async function start() {
  if (opened) {
    try {
      const loaded = await api(`/api/editor/${encodeURIComponent(opened)}`);
      board = { ...loaded, final: loaded.final || null };
      if (!board.editable) {
        $('editor-origin').textContent = t('editor.shipped_copy');
        $('editor-origin').hidden = false;
      }
    } catch (e) {
      problem(e.message);
    }
  }
  render();
}
onLanguageChange(render);
start();
