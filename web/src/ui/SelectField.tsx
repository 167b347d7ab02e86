import { useId, type ComponentPropsWithRef } from 'react';

/** A labelled select whose accessible name is its label only (a wrapping label would add the options' text). */
export function SelectField({ label, inline, children, ...props }: { label: string; inline?: boolean } & ComponentPropsWithRef<'select'>) {
  const id = useId();
  return (
    <div className={inline ? 'field inline' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <select id={id} {...props}>
        {children}
      </select>
    </div>
  );
}
