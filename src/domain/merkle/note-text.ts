// Character rules shared by signed notes and checkpoints (C2SP signed-note "Format").

// A lone surrogate cannot be encoded as UTF-8; in a /u regex only unpaired ones match \p{Cs}.
const LONE_SURROGATE = /\p{Cs}/u;
const CONTROL_OTHER_THAN_NEWLINE = /[\u0000-\u0009\u000b-\u001f]/;
const SPACE_OR_PLUS = /[\p{White_Space}+]/u;

/** True when `text` is valid UTF-8 with no ASCII control character except newline. */
export function isNoteSafe(text: string): boolean {
  return !LONE_SURROGATE.test(text) && !CONTROL_OTHER_THAN_NEWLINE.test(text);
}

/** Key names are non-empty, note-safe, and hold no Unicode space nor plus (the verifier key string splits on plus). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && isNoteSafe(name) && !SPACE_OR_PLUS.test(name);
}
