// Translations. Every word the pages show comes from a catalogue in
// static/i18n/<language>.json, never from code: `t(key, params)` looks a
// key up, fills in `{name}` placeholders and picks the plural form
// (Intl.PluralRules) from `params.count`. Elements in the page's HTML name
// their key in a data-i18n attribute (for their text, with parameters as
// JSON in data-i18n-params) or data-i18n-attr (attribute=key pairs, split
// by semicolons).
// Board content, names and codes are marked `translate="no"` and stay as
// written.
//
// The page follows the browser's language when a catalogue exists for it,
// else the room's language (set by the host), else English. `?lang=xx`
// chooses one outright; `?lang=ar-XB` is a right-to-left pseudo-language
// (English wrapped in right-to-left marks, the page laid out right to left)
// that shows which words escaped the catalogues and how the layout mirrors.

export const LANGUAGES = ['en', 'es', 'fr', 'de', 'pt'];
const PSEUDO_RTL = 'ar-XB';
const RTL_MARK = '\u200F';

let english = {};
let catalogue = {};
let current = 'en';
let pseudo = false;
let plurals = new Intl.PluralRules('en');
const listeners = [];

function supported(tag) {
  if (!tag) return null;
  if (tag === PSEUDO_RTL) return tag;
  const base = String(tag).toLowerCase().split('-')[0];
  return LANGUAGES.includes(base) ? base : null;
}

const asked = supported(new URLSearchParams(location.search).get('lang'));
const fromBrowser = (navigator.languages || [navigator.language]).map(supported).find(Boolean) || null;

async function fetchCatalogue(language) {
  const response = await fetch(`/static/i18n/${language}.json`);
  if (!response.ok) throw new Error(`no catalogue for ${language}`);
  return response.json();
}

async function use(language) {
  pseudo = language === PSEUDO_RTL;
  const base = pseudo ? 'en' : language;
  catalogue = base === 'en' ? english : await fetchCatalogue(base).catch(() => english);
  current = language;
  plurals = new Intl.PluralRules(base);
  document.documentElement.lang = pseudo ? 'ar' : base;
  document.documentElement.dir = pseudo ? 'rtl' : 'ltr';
  translatePage();
  listeners.forEach((listener) => listener(current));
}

english = await fetchCatalogue('en').catch(() => ({}));
await use(asked || fromBrowser || 'en');

// The language the page shows now.
export function language() {
  return current;
}

// Called with the room's language from the snapshot: used unless the
// browser (or the address) asked for one we have.
export async function roomLanguage(language) {
  const wanted = asked || fromBrowser || supported(language) || 'en';
  if (wanted !== current) await use(wanted);
}

// Runs `listener` after every change of language (to draw the page again).
export function onLanguageChange(listener) {
  listeners.push(listener);
}

// The text for `key`, with `{name}` placeholders filled from `params`.
export function t(key, params = {}) {
  let entry = catalogue[key] ?? english[key];
  if (entry == null) return key;
  if (typeof entry === 'object') {
    const form = plurals.select(Number(params.count ?? 0));
    entry = entry[form] ?? entry.other;
  }
  const text = entry.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  return pseudo ? `${RTL_MARK}${text}${RTL_MARK}` : text;
}

// A refusal from the server in this page's language: its code and numbers
// looked up as `error.<code>`, else the server's English words.
export function errorText(msg) {
  const key = `error.${msg.code}`;
  if (msg.code && (catalogue[key] ?? english[key]) != null) return t(key, msg.params || {});
  return msg.message;
}

// Fills in every marked element under `root` in the current language.
export function translatePage(root = document) {
  for (const node of root.querySelectorAll('[data-i18n]')) {
    let params = {};
    try {
      params = node.dataset.i18nParams ? JSON.parse(node.dataset.i18nParams) : {};
    } catch {
      params = {};
    }
    node.textContent = t(node.dataset.i18n, params);
  }
  for (const node of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of node.dataset.i18nAttr.split(';')) {
      const [attribute, key] = pair.split('=').map((s) => s.trim());
      if (attribute && key) node.setAttribute(attribute, t(key));
    }
  }
}
