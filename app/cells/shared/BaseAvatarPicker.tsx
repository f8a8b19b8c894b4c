"use client";

import { useEffect, useState } from "react";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import type { TagVocabulary } from "@/lib/latent/vocab";
import { SEED_MAX } from "@/lib/latent/seed";
import { baseFromRecipe, type BaseAvatar } from "./latentBase";
import TagPicker from "./TagPicker";

/**
 * The avatar an exploration cell starts from: seed, tags, psi and truncation, saved in the
 * cell's params. "Use avatar from above" copies the recipe flowing in from the cells above.
 */
export default function BaseAvatarPicker({ base, onChange, input, vocab, testId }: {
  base: BaseAvatar;
  onChange(next: BaseAvatar): void;
  input: AvatarRecipe | null;
  vocab: TagVocabulary;
  testId: string;
}) {
  const [seedDraft, setSeedDraft] = useState(String(base.seed));
  const [psiDraft, setPsiDraft] = useState(base.psi);
  useEffect(() => setSeedDraft(String(base.seed)), [base.seed]);
  useEffect(() => setPsiDraft(base.psi), [base.psi]);
  const commitSeed = () => {
    const seed = Number(seedDraft);
    if (Number.isInteger(seed) && seed >= 0 && seed <= SEED_MAX) onChange({ ...base, seed });
    else setSeedDraft(String(base.seed));
  };
  return (
    <fieldset className="base-avatar" data-testid={testId} style={{ border: 0, padding: 0, margin: 0, display: "flex", flexDirection: "column", gap: 8 }}>
      <legend className="panel-title">Start from</legend>
      <button type="button" className="secondary" disabled={!input} data-testid={`${testId}-use-input`}
        title={input ? `Seed ${input.seed}: ${input.tags.join(", ")} (its seed, tags and truncation; this cell's own edits replace any latent or pixel edits it had)` : "Select an avatar in a cell above first"}
        onClick={() => input && onChange(baseFromRecipe(input))}>
        Use avatar from above
      </button>
      <label className="field">
        <span className="field-label">Seed</span>
        <input data-testid={`${testId}-seed`} type="text" inputMode="numeric" value={seedDraft}
          onChange={(e) => setSeedDraft(e.target.value)} onBlur={commitSeed} onKeyDown={(e) => e.key === "Enter" && commitSeed()} />
      </label>
      <TagPicker vocab={vocab} tags={base.tags} onChange={(tags) => onChange({ ...base, tags })} testId={`${testId}-tags`} />
      <label className="field">
        <span className="field-label">Truncation ψ <span className="value">{psiDraft.toFixed(2)}</span></span>
        <input type="range" min={0} max={1.2} step={0.05} value={psiDraft} data-testid={`${testId}-psi`}
          onChange={(e) => setPsiDraft(Number(e.target.value))}
          onPointerUp={() => psiDraft !== base.psi && onChange({ ...base, psi: psiDraft })}
          onKeyUp={() => psiDraft !== base.psi && onChange({ ...base, psi: psiDraft })} />
      </label>
      <label className="field">
        <span className="field-label">Truncate toward</span>
        <select value={base.truncation} onChange={(e) => onChange({ ...base, truncation: e.target.value as BaseAvatar["truncation"] })}>
          <option value="condition">the condition&apos;s mean w</option>
          <option value="global">the global mean w</option>
        </select>
      </label>
    </fieldset>
  );
}
