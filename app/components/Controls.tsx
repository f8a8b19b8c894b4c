import type { FormEvent } from "react";
import type { TagVocabulary } from "@/lib/latent/vocab";
import { NONE, RANDOM, type GenerateSettings } from "./engine";

interface ControlsProps {
  vocab: TagVocabulary;
  settings: GenerateSettings;
  busy: boolean;
  onChange: (settings: GenerateSettings) => void;
  onGenerate: (settings: GenerateSettings) => void;
}

/** Tag choices per group, seeds, truncation and the Generate button. */
export default function Controls({ vocab, settings, busy, onChange, onGenerate }: ControlsProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onGenerate(settings);
  };
  const newSeeds = () => {
    const count = countSeeds(settings.seedsText);
    const start = Math.floor(Math.random() * 100000);
    onGenerate({ ...settings, seedsText: count === 1 ? `${start}` : `${start}-${start + count - 1}` });
  };
  return (
    <form className="controls card" onSubmit={submit} data-testid="controls">
      <h2 className="panel-title">Condition</h2>
      {vocab.groups.map((group) => (
        <label className="field" key={group.name}>
          <span className="field-label">{capitalize(group.name)}</span>
          <select
            data-testid={`group-${group.name}`}
            value={settings.choices[group.name] ?? RANDOM}
            onChange={(e) => onChange({ ...settings, choices: { ...settings.choices, [group.name]: e.target.value } })}
          >
            <option value={RANDOM}>Random</option>
            {!group.exclusive && <option value={NONE}>None</option>}
            {group.tags.map((tag) => (
              <option key={tag.name} value={tag.name}>
                {tag.name} ({Math.round(tag.prior * 100)}%)
              </option>
            ))}
          </select>
        </label>
      ))}

      <h2 className="panel-title">Latent</h2>
      <label className="field">
        <span className="field-label">Seeds</span>
        <div className="row">
          <input
            data-testid="seeds"
            type="text"
            inputMode="numeric"
            spellCheck={false}
            value={settings.seedsText}
            placeholder="0-15,20"
            onChange={(e) => onChange({ ...settings, seedsText: e.target.value })}
          />
          <button type="button" className="secondary" onClick={newSeeds} disabled={busy} data-testid="new-seeds">
            New seeds
          </button>
        </div>
        <span className="field-hint">A seed or ranges, e.g. 0-15,20</span>
      </label>
      <label className="field">
        <span className="field-label">
          Truncation ψ <output className="value">{settings.psi.toFixed(2)}</output>
        </span>
        <input
          data-testid="psi"
          type="range"
          min={0}
          max={1.2}
          step={0.05}
          value={settings.psi}
          onChange={(e) => onChange({ ...settings, psi: Number(e.target.value) })}
        />
        <span className="field-hint">Lower is more typical, higher is more varied</span>
      </label>

      <button type="submit" className="primary" disabled={busy} data-testid="generate">
        {busy ? "Generating…" : "Generate"}
      </button>
    </form>
  );
}

function countSeeds(text: string): number {
  let count = 0;
  for (const part of text.split(",")) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (match) count += match[2] !== undefined ? Math.max(0, Number(match[2]) - Number(match[1])) + 1 : 1;
  }
  return Math.min(64, Math.max(1, count || 16));
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
