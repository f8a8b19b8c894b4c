"use client";

import { useLayoutEffect, useRef, type KeyboardEvent } from "react";

interface TitleFieldProps {
  value: string;
  onChange(value: string): void;
  className: string;
  label: string;
  testId: string;
}

/**
 * An editable title that wraps instead of being cut ("Thesis defense: conditio…" on a phone):
 * a one-row textarea that grows with its text (CSS field-sizing), where Enter finishes editing
 * rather than adding a line.
 */
export default function TitleField({ value, onChange, className, label, testId }: TitleFieldProps) {
  const field = useRef<HTMLTextAreaElement>(null);
  // Browsers without field-sizing (Firefox, Safari today) get their height set from the text.
  useLayoutEffect(() => {
    const el = field.current;
    if (!el || CSS.supports("field-sizing", "content")) return;
    el.style.height = "auto";
    el.style.height = `${el.scrollHeight}px`;
  }, [value]);
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      event.currentTarget.blur();
    }
  };
  return (
    <textarea ref={field} className={`title-field ${className}`} rows={1} value={value} spellCheck={false} aria-label={label} data-testid={testId}
      onChange={(e) => onChange(e.target.value.replace(/\s*\n\s*/g, " "))} onKeyDown={onKeyDown} />
  );
}
