import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

const TAG_PATTERN = /^[a-z0-9][a-z0-9_.:-]{0,49}$/;

/** The case's tags as removable chips, and a field to add one (Enter or the Add button). */
export function TagEditor(props: { tags: string[]; disabled?: boolean; onChange(tags: string[]): void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const [isInvalid, setInvalid] = useState(false);
  const add = (event: FormEvent) => {
    event.preventDefault();
    const tag = draft.trim().toLowerCase();
    if (!tag) return;
    if (!TAG_PATTERN.test(tag)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setDraft('');
    if (!props.tags.includes(tag)) props.onChange([...props.tags, tag]);
  };
  return (
    <div className="tag-editor">
      <p className="field-label" id="tags-label">
        {t('ticket.tags')}
      </p>
      <ul className="tags" aria-labelledby="tags-label">
        {props.tags.length === 0 && <li className="muted">{t('tags.none')}</li>}
        {props.tags.map((tag) => (
          <li key={tag} className="tag">
            <span>{tag}</span>
            <button type="button" className="tag-remove" aria-label={t('tags.remove', { tag })} disabled={props.disabled} onClick={() => props.onChange(props.tags.filter((other) => other !== tag))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="tag-add" onSubmit={add}>
        <label className="visually-hidden" htmlFor="tag-input">
          {t('tags.new')}
        </label>
        <input
          id="tag-input"
          value={draft}
          placeholder={t('tags.placeholder')}
          aria-invalid={isInvalid || undefined}
          aria-describedby={isInvalid ? 'tag-hint' : undefined}
          disabled={props.disabled}
          onChange={(event) => {
            setDraft(event.target.value);
            setInvalid(false);
          }}
        />
        <button type="submit" className="button small" disabled={props.disabled || draft.trim() === ''}>
          {t('tags.add')}
        </button>
      </form>
      {isInvalid && (
        <p id="tag-hint" className="hint error-text" role="alert">
          {t('tags.invalid')}
        </p>
      )}
    </div>
  );
}
