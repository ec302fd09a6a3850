/** Every finding shown to a producer carries the same sentence in Chinese (shown first) and English. */
export interface Wording {
  messageZh: string;
  messageEn: string;
}
