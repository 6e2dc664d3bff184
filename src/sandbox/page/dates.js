// Dates as Slack shows them, in the browser's own time zone.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAYS_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const pad = (n) => String(n).padStart(2, '0');

/** "Mon 30 Nov 14:05" in the local time zone (the browser's, like Slack shows dates). */
export function formatClock(date) {
  return `${DAYS[date.getDay()]} ${date.getDate()} ${MONTHS[date.getMonth()]} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Slack's `<!date^…>` tokens; an unknown `{token}` stays as typed. */
export function formatSlackDate(seconds, format) {
  const d = new Date(seconds * 1000);
  const y = d.getFullYear();
  const parts = {
    date_num: `${y}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    date: `${MONTHS_LONG[d.getMonth()]} ${d.getDate()}, ${y}`,
    date_short: `${MONTHS[d.getMonth()]} ${d.getDate()}, ${y}`,
    date_long: `${DAYS_LONG[d.getDay()]}, ${MONTHS_LONG[d.getMonth()]} ${d.getDate()}, ${y}`,
    date_pretty: `${DAYS[d.getDay()]} ${d.getDate()} ${MONTHS_LONG[d.getMonth()]}`,
    date_short_pretty: `${DAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()]}`,
    date_long_pretty: `${DAYS_LONG[d.getDay()]} ${d.getDate()} ${MONTHS_LONG[d.getMonth()]} ${y}`,
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}`,
    time_secs: `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`,
  };
  return format.replace(/\{(\w+)\}/g, (all, name) => parts[name] ?? all);
}
