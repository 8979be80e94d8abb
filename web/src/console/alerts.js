// A new chat is announced by a chime (a tone made with WebAudio: no sound file to fetch) and
// a desktop notification, each of which the librarian may switch off in Settings.
const CHIME_NOTES = [880, 1318.5]; // A5 then E6, short: heard, not startling
const NOTE_S = 0.18;

let audio = null;

export function chime() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    audio = audio || new Context();
    if (audio.state === 'suspended') audio.resume();
    CHIME_NOTES.forEach((frequency, index) => {
        const start = audio.currentTime + index * NOTE_S;
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.2, start);
        gain.gain.exponentialRampToValueAtTime(0.001, start + NOTE_S);
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start(start);
        oscillator.stop(start + NOTE_S);
    });
}

/** Asks once for permission (from a click in Settings or at login, as browsers require). */
export async function allowNotifications() {
    if (!('Notification' in window)) return 'unsupported';
    if (Notification.permission === 'default') return Notification.requestPermission();
    return Notification.permission;
}

export function notify(title, body, onClick) {
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    const shown = new Notification(title, { body, tag: title + body });
    shown.onclick = () => {
        window.focus();
        onClick();
        shown.close();
    };
}
