// Short original sounds, synthesised with Web Audio (nothing downloaded, no
// recordings): buzzers open, first buzz, right, wrong, time up, Daily
// Double, podium. One switch per page turns them on or off, remembered on
// this device. Browsers only let a page make sound after the person has
// interacted with it, so until then the switch says "tap to allow sound".
import { t, onLanguageChange } from './i18n.js';

let context = null;

function ctx() {
  if (!context) {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    context = new Context();
  }
  return context;
}

// A note: frequency in Hz, start and length in seconds, wave shape, volume.
function tone(audio, freq, start, length, type = 'sine', volume = 0.2, slideTo = null) {
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  const t = audio.currentTime + start;
  osc.type = type;
  osc.frequency.setValueAtTime(freq, t);
  if (slideTo) osc.frequency.exponentialRampToValueAtTime(slideTo, t + length);
  gain.gain.setValueAtTime(0.0001, t);
  gain.gain.exponentialRampToValueAtTime(volume, t + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, t + length);
  osc.connect(gain).connect(audio.destination);
  osc.start(t);
  osc.stop(t + length + 0.05);
}

const SOUNDS = {
  open: (a) => tone(a, 440, 0, 0.25, 'triangle', 0.2, 880),
  buzz: (a) => tone(a, 660, 0, 0.18, 'square', 0.12),
  right: (a) => [523, 659, 784, 1047].forEach((f, i) => tone(a, f, i * 0.09, 0.25, 'triangle', 0.2)),
  wrong: (a) => { tone(a, 196, 0, 0.45, 'sawtooth', 0.12); tone(a, 185, 0.05, 0.45, 'sawtooth', 0.1); },
  timeUp: (a) => [880, 660, 440].forEach((f, i) => tone(a, f, i * 0.15, 0.2, 'square', 0.1)),
  dailyDouble: (a) => [392, 523, 659, 784, 659, 784].forEach((f, i) => tone(a, f, i * 0.08, 0.2, 'triangle', 0.18)),
  podium: (a) => [523, 523, 523, 698, 880, 1047].forEach((f, i) => tone(a, f, i * 0.14, 0.3, 'triangle', 0.2)),
};

// Sets up the page's switch (a button with this id) and returns play(name).
// `play.follow(on)` changes the default (the host's choice for phones);
// a choice made on this device wins over it.
export function sounds(buttonId, storageKey, onByDefault) {
  const button = document.getElementById(buttonId);
  const saved = localStorage.getItem(storageKey);
  let on = saved === null ? onByDefault : saved === 'on';
  function label() {
    if (!button) return;
    const audio = context;
    const blocked = on && (!audio || audio.state !== 'running');
    button.textContent = !on ? t('sound.off') : blocked ? t('sound.tap_to_allow') : t('sound.on');
    button.setAttribute('aria-pressed', String(on));
  }
  onLanguageChange(label);
  if (button) {
    button.addEventListener('click', () => {
      const audio = ctx();
      if (on && audio && audio.state !== 'running') {
        audio.resume().then(label);
        return;
      }
      on = !on;
      localStorage.setItem(storageKey, on ? 'on' : 'off');
      if (on && audio) audio.resume().then(label);
      label();
    });
  }
  label();
  function play(name) {
    if (!on) return;
    const audio = ctx();
    if (!audio || !SOUNDS[name]) return;
    if (audio.state !== 'running') {
      audio.resume().catch(() => {}).finally(label);
      if (audio.state !== 'running') return;
    }
    SOUNDS[name](audio);
  }
  // Unlocks sound from within a tap (the buzz itself), so a later cue can
  // play even on a phone that never touched the sound switch.
  play.unlock = () => {
    const audio = ctx();
    if (audio && audio.state !== 'running') audio.resume().catch(() => {}).finally(label);
  };
  // A cue that must be heard whatever the switch says: the one moment a
  // player must not miss (their buzz won), on phones that cannot vibrate.
  play.cue = (name) => {
    const audio = context;
    if (audio && audio.state === 'running' && SOUNDS[name]) SOUNDS[name](audio);
  };
  play.follow = (wanted) => {
    if (localStorage.getItem(storageKey) !== null) return;
    on = wanted;
    label();
  };
  return play;
}
