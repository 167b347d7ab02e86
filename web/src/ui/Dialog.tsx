import { Dialog as RadixDialog } from 'radix-ui';
import type { ReactNode } from 'react';

/** A modal dialog (Radix: focus trap, Escape, labelled by its title, focus returns on close). */
export function Dialog(props: { open: boolean; onOpenChange(open: boolean): void; title: string; description?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <RadixDialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content className={`dialog ${props.className ?? ''}`} aria-describedby={props.description ? undefined : undefined}>
          <RadixDialog.Title className="dialog-title">{props.title}</RadixDialog.Title>
          {props.description ? <RadixDialog.Description className="dialog-description">{props.description}</RadixDialog.Description> : <RadixDialog.Description className="visually-hidden">{props.title}</RadixDialog.Description>}
          {props.children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

export const DialogClose = RadixDialog.Close;
