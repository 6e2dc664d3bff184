// Emoji shortcodes the page renders as Unicode.

/** Shortcodes the bot uses, plus a few common ones; anything else stays as typed. */
export const EMOJI = {
  warning: '⚠️',
  white_check_mark: '✅',
  tada: '🎉',
  rotating_light: '🚨',
  no_entry: '⛔',
  x: '❌',
  recycle: '♻️',
  raising_hand: '🙋',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  alarm_clock: '⏰',
  bust_in_silhouette: '👤',
  bell: '🔔',
  chart_with_upwards_trend: '📈',
  memo: '📝',
  calendar: '📆',
  fire: '🔥',
  eyes: '👀',
  wave: '👋',
  clock3: '🕒',
  inbox_tray: '📥',
  star: '⭐',
  zap: '⚡',
};
