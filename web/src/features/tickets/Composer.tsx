import { ToggleGroup } from 'radix-ui';
import { forwardRef, useImperativeHandle, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { uploadFile } from '../../app/api.ts';
import type { Attachment } from '../../app/api.types.ts';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { useAddMessage } from './tickets.api.ts';

export type ComposerHandle = { focus(mode: 'reply' | 'note'): void };

/** Reply or internal note. Ctrl/⌘+Enter sends. */
export const Composer = forwardRef<ComposerHandle, { ticketId: string; allowNotes: boolean; disabled?: boolean; onTyping?: () => void }>(function Composer({ ticketId, allowNotes, disabled, onTyping }, ref) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [body, setBody] = useState('');
  const textarea = useRef<HTMLTextAreaElement>(null);
  const send = useAddMessage(ticketId);
  const [files, setFiles] = useState<Attachment[]>([]);
  const [uploads, setUploads] = useState(0);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const [isDragging, setDragging] = useState(false);
  const attach = async (list: FileList | null) => {
    setUploadError(null);
    for (const file of Array.from(list ?? [])) {
      setUploads((count) => count + 1);
      try {
        const uploaded = await uploadFile<Attachment>(file);
        setFiles((current) => [...current, uploaded]);
      } catch (error) {
        setUploadError(error);
      } finally {
        setUploads((count) => count - 1);
      }
    }
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void attach(event.dataTransfer.files);
  };
  useImperativeHandle(ref, () => ({
    focus(next) {
      if (allowNotes) setMode(next);
      textarea.current?.focus();
    },
  }));

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!body.trim() || send.isPending) return;
    send.mutate(
      { body, internal: mode === 'note', attachmentIds: files.map((file) => file.id) },
      {
        onSuccess: () => {
          setBody('');
          setFiles([]);
        },
      },
    );
  };
  const isNote = mode === 'note';

  return (
    <form
      className={`composer ${isNote ? 'note' : 'reply'} ${isDragging ? 'dragging' : ''}`}
      onSubmit={submit}
      aria-label={t('composer.label')}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      {allowNotes && (
        <ToggleGroup.Root type="single" className="segmented" value={mode} onValueChange={(value) => value && setMode(value as 'reply' | 'note')} aria-label={t('composer.kind')}>
          <ToggleGroup.Item value="reply" className="segment">
            {t('composer.reply')}
          </ToggleGroup.Item>
          <ToggleGroup.Item value="note" className="segment">
            {t('composer.note')}
          </ToggleGroup.Item>
        </ToggleGroup.Root>
      )}
      <label className="field">
        <span className={allowNotes ? 'visually-hidden' : undefined}>{isNote ? t('composer.noteLabel') : t('composer.replyLabel')}</span>
        <textarea
          ref={textarea}
          rows={5}
          value={body}
          disabled={disabled}
          onChange={(event) => {
            setBody(event.target.value);
            onTyping?.();
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
          }}
          placeholder={isNote ? t('composer.notePlaceholder') : allowNotes ? t('composer.replyPlaceholder') : t('composer.customerPlaceholder')}
        />
      </label>
      {isNote && <p className="hint">{t('composer.noteHint')}</p>}
      <div className="attachments-row">
        <label className="button small file-button">
          {t('composer.attach')}
          <input type="file" multiple className="visually-hidden" onChange={(event) => void attach(event.target.files).then(() => (event.target.value = ''))} />
        </label>
        <span className="hint">{uploads > 0 ? t('composer.uploading') : t('composer.dropHint')}</span>
        {files.length > 0 && (
          <ul className="attached">
            {files.map((file) => (
              <li key={file.id}>
                {file.filename}{' '}
                <button type="button" className="button link" onClick={() => setFiles((current) => current.filter((item) => item.id !== file.id))} aria-label={t('composer.remove', { name: file.filename })}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      {uploadError !== null && <ErrorMessage error={uploadError} />}
      {send.isError && <ErrorMessage error={send.error} />}
      <div className="composer-actions">
        <span className="hint">{t('composer.sendHint')}</span>
        <button type="submit" className={`button ${isNote ? 'note' : 'primary'}`} disabled={disabled || send.isPending || uploads > 0 || !body.trim()}>
          {isNote ? t('composer.sendNote') : t('composer.sendReply')}
        </button>
      </div>
    </form>
  );
});
