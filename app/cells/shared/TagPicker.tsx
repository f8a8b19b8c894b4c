"use client";

import type { TagVocabulary } from "@/lib/latent/vocab";

/**
 * Concrete tags for one avatar: a select per exclusive group (or none), a checkbox per
 * independent tag. Unlike the sample cell's Random/Fixed choices, this names exact tags, as a
 * recipe does.
 */
export default function TagPicker({ vocab, tags, onChange, testId }: { vocab: TagVocabulary; tags: string[]; onChange(next: string[]): void; testId: string }) {
  const inGroup = (group: string) => tags.filter((t) => vocab.has(t) && vocab.groupOfTag(t).name === group);
  const replaceGroup = (group: string, chosen: string[]) => {
    const others = tags.filter((t) => !vocab.has(t) || vocab.groupOfTag(t).name !== group);
    onChange(vocab.names.filter((name) => others.includes(name) || chosen.includes(name)));
  };
  return (
    <div className="tag-picker" data-testid={testId} style={{ display: "flex", flexDirection: "column", gap: 6 }}>
      {vocab.groups.map((group) =>
        group.exclusive ? (
          <label className="field" key={group.name}>
            <span className="field-label">{group.name}</span>
            <select data-testid={`${testId}-${group.name}`} value={inGroup(group.name)[0] ?? ""} onChange={(e) => replaceGroup(group.name, e.target.value ? [e.target.value] : [])}>
              <option value="">(none)</option>
              {group.tags.map((tag) => (
                <option key={tag.name} value={tag.name}>
                  {tag.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <fieldset key={group.name} style={{ border: 0, padding: 0, margin: 0 }}>
            <legend className="field-label">{group.name}</legend>
            {group.tags.map((tag) => (
              <label key={tag.name} className="row" style={{ gap: 6 }}>
                <input
                  type="checkbox"
                  checked={tags.includes(tag.name)}
                  onChange={(e) => replaceGroup(group.name, e.target.checked ? [...inGroup(group.name), tag.name] : inGroup(group.name).filter((t) => t !== tag.name))}
                />
                {tag.name}
              </label>
            ))}
          </fieldset>
        ),
      )}
    </div>
  );
}
