import { useTranslation } from 'react-i18next';
import { Dialog } from '../../ui/Dialog.tsx';

export const SHORTCUTS = [
  ['?', 'shortcuts.help'],
  ['j / k', 'shortcuts.nextPrevious'],
  ['o / Enter', 'shortcuts.open'],
  ['x', 'shortcuts.select'],
  ['r', 'shortcuts.reply'],
  ['n', 'shortcuts.note'],
  ['a', 'shortcuts.assignMe'],
  ['s', 'shortcuts.status'],
  ['p', 'shortcuts.priority'],
  ['u', 'shortcuts.back'],
  ['Ctrl + Enter', 'shortcuts.send'],
] as const;

export default function ShortcutsDialog({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={t('shortcuts.title')}>
      <dl className="shortcuts">
        {SHORTCUTS.map(([keys, label]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{t(label)}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className="button" onClick={() => onOpenChange(false)}>
        {t('common.close')}
      </button>
    </Dialog>
  );
}
