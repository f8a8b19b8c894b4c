"""Avatar recipes: the JSON the workbench exports with every avatar, rendered again in Python.

A recipe (lib/recipe/recipe.ts) names the generator (name and sha256), the seed, the tags, psi and
the truncation centre, and the latent edits a cell applied (lib/recipe/latentEdits.ts). This
module gives them the same meaning as lib/gan/latents.ts, step for step, so an avatar exported
from the browser comes out of the CLI with the same pixels:

    z: z(seed) -> perturb -> toward in z (slerp)        c: c(tags) -> conditionToward -> directions in c
    w = mapping(z, c); w = centre + psi (w - centre), centre = w_avg or the condition's mean w
    w -> toward in w (lerp) -> + directions in w -> ws; layers [mix.start, mix.end) from the mix seed

The later stages of a recipe (upscale, pixel edits) run in the browser; `render` says so when
a recipe carries them rather than pretending to apply them.

The package, one concern a module, as its TypeScript twins: files.py (JSON and PNG reading;
lib/notebook/recipeJson.ts, lib/edit/png.ts), latents.py (latent maths; lib/latent),
render.py (recipes -> pixels; lib/gan/latents.ts, render.ts), fixture.py (the parity fixture).
"""

from .files import MAX_EDITS, PNG_TEXT_KEY, RECIPE_VERSION, RecipeError, check_recipe, load_recipe, png_text_chunks
from .fixture import parity_recipes, write_recipe_fixture
from .latents import DIRECTION_BACKGROUND_SEED, DIRECTION_SAMPLES, direction_w, lerp, seeded_draw, shift_condition, slerp
from .render import later_stages, projected_layers, recipe_ws, render_recipe

__all__ = ["DIRECTION_BACKGROUND_SEED", "DIRECTION_SAMPLES", "MAX_EDITS", "PNG_TEXT_KEY", "RECIPE_VERSION", "RecipeError",
           "check_recipe", "direction_w", "later_stages", "lerp", "load_recipe", "parity_recipes", "png_text_chunks",
           "projected_layers", "recipe_ws", "render_recipe", "seeded_draw", "shift_condition", "slerp",
           "write_recipe_fixture"]
