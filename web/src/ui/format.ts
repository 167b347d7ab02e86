import { useTranslation } from 'react-i18next';
import { useContext } from 'react';
import { SessionContext } from '../app/session.tsx';

/** Dates in the user's language and time zone (the profile's, else the browser's). */
export function useFormat() {
  const { i18n } = useTranslation();
  const me = useContext(SessionContext);
  const timeZone = me?.timeZone;
  const language = i18n.language;
  const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone && { timeZone }) });
  const relative = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  return {
    dateTime: (iso: string) => dateTime.format(new Date(iso)),
    age: (iso: string, now = Date.now()) => {
      const seconds = (new Date(iso).getTime() - now) / 1000;
      const abs = Math.abs(seconds);
      if (abs < 60) return relative.format(Math.round(seconds), 'second');
      if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
      if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
      return relative.format(Math.round(seconds / 86_400), 'day');
    },
    duration: (seconds: number) => {
      const minutes = Math.round(Math.abs(seconds) / 60);
      const hours = Math.floor(minutes / 60);
      return hours > 0 ? `${hours} h ${String(minutes % 60).padStart(2, '0')}` : `${minutes} min`;
    },
  };
}
