// The start page's upload form: sends the chosen board file to the server
// and shows what it said. Messages go into the page as text.
import { $ } from './common.js';
import { t } from './i18n.js';

const form = $('upload-form');
if (form) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = $('upload-file').files[0];
    const result = $('upload-result');
    const error = $('upload-error');
    result.hidden = true;
    error.hidden = true;
    if (!file) return;
    const params = new URLSearchParams({ filename: file.name });
    const title = $('upload-title').value.trim();
    if (title) params.set('title', title);
    try {
      const response = await fetch(`/api/boards?${params}`, { method: 'POST', body: await file.arrayBuffer() });
      const body = await response.json().catch(() => ({ error: t('common.server_answered', { status: response.status }) }));
      if (!response.ok) throw new Error(body.error || t('common.server_answered', { status: response.status }));
      result.textContent = t('teacher.uploaded', { title: body.title, categories: body.categories, count: body.clues });
      result.hidden = false;
      setTimeout(() => location.reload(), 800);
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    }
  });
}
