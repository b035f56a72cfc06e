// Reading aloud: the clue (and the answer once shown) spoken with the
// browser's own speech synthesis, which uses the device's voices and works
// offline. One switch per page, remembered on this device.
import { t, language, onLanguageChange } from './i18n.js';

// Sets up the switch (a button with this id) and returns say(text).
export function readAloud(buttonId, storageKey, onByDefault = false) {
  const button = document.getElementById(buttonId);
  const supported = 'speechSynthesis' in window;
  const saved = localStorage.getItem(storageKey);
  let on = supported && (saved === null ? onByDefault : saved === 'on');
  function label() {
    if (!button) return;
    button.hidden = !supported;
    button.textContent = on ? t('speech.on') : t('speech.off');
    button.setAttribute('aria-pressed', String(on));
  }
  if (button) {
    button.addEventListener('click', () => {
      on = !on;
      localStorage.setItem(storageKey, on ? 'on' : 'off');
      if (!on) speechSynthesis.cancel();
      label();
    });
  }
  onLanguageChange(label);
  label();
  return function say(text) {
    if (!on || !text) return;
    speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = document.documentElement.lang || language();
    speechSynthesis.speak(utterance);
  };
}
