import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useEvents } from '../../app/events.tsx';

/** A full-screen, sound-free alert for every agent until acknowledged. */
export default function PanicTakeover() {
  const { t } = useTranslation();
  const { panics, acknowledge } = useEvents();
  const navigate = useNavigate();
  const button = useRef<HTMLButtonElement>(null);
  const alert = panics[0];
  useEffect(() => button.current?.focus(), [alert?.panicEventId]);
  if (!alert) return null;
  return (
    <div className="panic-takeover" role="alertdialog" aria-modal="true" aria-labelledby="panic-takeover-title" aria-describedby="panic-takeover-text">
      <div className="panic-takeover-box">
        <h2 id="panic-takeover-title">{t('panic.alertTitle')}</h2>
        <p id="panic-takeover-text">{t('panic.alertText', { organization: alert.organizationName, number: alert.number })}</p>
        {panics.length > 1 && <p>{t('panic.more', { count: panics.length - 1 })}</p>}
        <div className="dialog-actions">
          <button
            ref={button}
            type="button"
            className="button light"
            onClick={() => {
              acknowledge(alert.panicEventId);
              navigate(`/cases/${alert.ticketId}`);
            }}
          >
            {t('panic.acknowledgeOpen', { number: alert.number })}
          </button>
          <button type="button" className="button ghost-light" onClick={() => acknowledge(alert.panicEventId)}>
            {t('panic.acknowledge')}
          </button>
        </div>
      </div>
    </div>
  );
}
